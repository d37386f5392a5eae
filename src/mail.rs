//! Outgoing mail: SMTP when `AVTOMEKTEP_SMTP_URL` is set, otherwise `.eml` files in the data
//! folder (so a developer can open what the portal sent).
//!
//! Sending blocks: call `Mailer::send` off the async threads (inside `web::block`).

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::config::Config;

/// `smtp://` means STARTTLS required (as the contract says), except to a relay on this machine;
/// an explicit `?tls=` in the URL wins.
fn starttls_by_default(url: &str) -> String {
    let Some(rest) = url.strip_prefix("smtp://") else {
        return url.to_string();
    };
    let host = rest.rsplit('@').next().unwrap_or(rest);
    let local = ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| host.starts_with(h));
    if url.contains("tls=") || local {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&tls=required")
    } else {
        format!("{url}?tls=required")
    }
}

/// What an SMTP failure was, for the log: a server's reply to a refused message often quotes
/// the recipient's address, so a reply is logged by its code only.
fn smtp_failure(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) if e.is_permanent() => format!("permanent error ({code})"),
        Some(code) => format!("transient error ({code})"),
        None if e.is_response() => "a reply that does not parse".into(),
        None => e.to_string(),
    }
}

/// A message ready to go: the caller has already chosen the recipient's language.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Mailer {
    from: Mailbox,
    transport: Delivery,
}

enum Delivery {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .context("AVTOMEKTEP_MAIL_FROM is not a mailbox like `Name <address@host>`")?;
        let transport = match &config.smtp_url {
            Some(url) => Delivery::Smtp(Box::new(
                SmtpTransport::from_url(&starttls_by_default(url))
                    .context("AVTOMEKTEP_SMTP_URL is not smtp://… or smtps://…")?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                Delivery::Files(dir)
            }
        };
        Ok(Mailer { from, transport })
    }

    /// Sends one message. The log names the file or the transport, never the recipient.
    pub fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(mail.to.parse().context("recipient address")?)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .context("building the message")?;
        match &self.transport {
            Delivery::Smtp(smtp) => {
                smtp.send(&message)
                    .map_err(|e| anyhow::anyhow!("sending over SMTP: {}", smtp_failure(&e)))?;
                tracing::info!("mail sent over SMTP");
            }
            Delivery::Files(dir) => {
                let id = FileTransport::new(dir).send(&message).context("writing the mail file")?;
                let path = dir.join(format!("{id}.eml"));
                tracing::info!(path = %path.display(), "mail written to a file (no AVTOMEKTEP_SMTP_URL)");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_urls_require_starttls_unless_the_relay_is_local() {
        assert_eq!(
            starttls_by_default("smtp://u:p@mail.kz:587"),
            "smtp://u:p@mail.kz:587?tls=required"
        );
        assert_eq!(starttls_by_default("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
        assert_eq!(
            starttls_by_default("smtp://mail.kz:25?tls=opportunistic"),
            "smtp://mail.kz:25?tls=opportunistic"
        );
        assert_eq!(starttls_by_default("smtps://u:p@mail.kz"), "smtps://u:p@mail.kz");
    }
}
