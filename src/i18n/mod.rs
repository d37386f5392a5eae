//! Kazakh and Russian messages (Fluent files under `locales/`), and choosing the language.
//!
//! The language comes from `?lang=`, then the `lang` cookie, then `Accept-Language`, then
//! Kazakh. Plural forms follow CLDR through fluent-bundle (Russian has one/few/many).

pub mod dates;
mod negotiate;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

pub use negotiate::{Choice, LANG_COOKIE, for_request as negotiate_request, negotiate};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "kk",
        // Unicode isolation marks around arguments would end up inside HTML attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static KK: LazyLock<LanguageIdentifier> = LazyLock::new(|| "kk".parse().expect("valid id"));
static RU: LazyLock<LanguageIdentifier> = LazyLock::new(|| "ru".parse().expect("valid id"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Kk,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Kk, Lang::Ru];

    /// Of a text kept in both languages (a school's name, a policy), the one in this language.
    pub fn pick<'a>(self, kk: &'a str, ru: &'a str) -> &'a str {
        match self {
            Lang::Kk => kk,
            Lang::Ru => ru,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Kk => &KK,
            Lang::Ru => &RU,
        }
    }

    /// The message `id` in this language.
    pub fn t(self, id: &str) -> String {
        self.lookup(id, None)
    }

    /// The message `id` with named arguments.
    pub fn t_args(self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        self.lookup(id, Some(&map))
    }

    /// The message `id` with `$count`, choosing the plural form of this language.
    pub fn t_count(self, id: &str, count: i64) -> String {
        self.t_args(id, &[("count", FluentValue::from(count))])
    }

    fn lookup(self, id: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        match LOCALES.try_lookup_complete(self.id(), id, args) {
            Some(text) => text,
            None => {
                // The completeness test keeps this from happening; show the id rather than fail.
                tracing::warn!(message_id = id, lang = self.code(), "missing message");
                id.to_string()
            }
        }
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(request_lang(req)))
    }
}

/// The language chosen for this request (set by the language middleware; negotiated again if a
/// request somehow bypassed it).
pub fn request_lang(req: &HttpRequest) -> Lang {
    if let Some(choice) = req.extensions().get::<Choice>() {
        return choice.lang;
    }
    negotiate_request(req).lang
}

/// What a page shows instead of a deleted review or message: "removed by a moderator: <reason>".
pub fn removed_text(lang: Lang, reason: Option<&str>) -> String {
    lang.t_args(
        "moderation-removed",
        &[(
            "reason",
            fluent_templates::fluent_bundle::FluentValue::from(
                reason.unwrap_or_default().to_string(),
            ),
        )],
    )
}
