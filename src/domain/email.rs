use std::str::FromStr;

use email_address::EmailAddress;

use super::FieldError;

/// An email address, syntax-checked and lower-cased (one account per address, whatever case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FieldError("email-error-empty"));
        }
        if text.len() > 254 {
            return Err(FieldError("email-error-invalid"));
        }
        let address =
            EmailAddress::from_str(text).map_err(|_| FieldError("email-error-invalid"))?;
        // A bare host ("user@localhost") cannot receive mail from the internet.
        if !address.domain().contains('.') || address.domain().starts_with('[') {
            return Err(FieldError("email-error-invalid"));
        }
        Ok(Email(address.as_str().to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_lower_cased() {
        assert_eq!(Email::parse(" Aigerim.K@Mail.KZ ").unwrap().as_str(), "aigerim.k@mail.kz");
        for bad in ["", "aigerim", "a@b", "a@@mail.kz", "a b@mail.kz", "a@[127.0.0.1]"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }
}
