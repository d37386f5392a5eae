//! Passwords: the rules wherever one is set (length, a list of common ones, the person's own
//! details, and the zxcvbn strength estimate), and Argon2id hashing.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use super::FieldError;

pub const MIN_LENGTH: usize = 10;

/// zxcvbn's "safely unguessable" (about 10^10 guesses): ten spaces, `!!!!!!!!!!`,
/// `ababababab` and keyboard rows stay below it, a few words with a number pass.
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// A password that passed the rules; never logged, never shown.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    /// `personal` are the user's own identifiers (email, IIN) the password must not contain.
    pub fn parse(text: &str, personal: &[&str]) -> Result<Password, FieldError> {
        Password::parse_for(text, personal, &[])
    }

    /// As `parse`; zxcvbn also takes the identifiers and `names` (the person's own) as the
    /// guesses an attacker would try first.
    pub fn parse_for(
        text: &str, personal: &[&str], names: &[&str],
    ) -> Result<Password, FieldError> {
        if text.chars().count() < MIN_LENGTH {
            return Err(FieldError("password-error-short"));
        }
        let lower = text.to_lowercase();
        if COMMON.contains(lower.as_str()) {
            return Err(FieldError("password-error-common"));
        }
        let contains_personal = personal
            .iter()
            .map(|p| p.trim().to_lowercase())
            .filter(|p| p.chars().count() >= 4)
            .any(|p| lower.contains(&p));
        if contains_personal {
            return Err(FieldError("password-error-personal"));
        }
        let inputs: Vec<&str> = personal.iter().chain(names).copied().collect();
        let estimate = zxcvbn::zxcvbn(text, &inputs);
        if estimate.score() < MIN_SCORE {
            let warning = estimate.feedback().and_then(zxcvbn::feedback::Feedback::warning);
            return Err(FieldError(weakness(warning)));
        }
        Ok(Password(text.to_string()))
    }

    /// Argon2id in PHC string form. Slow on purpose (~tens of ms): call it off the async threads.
    pub fn hash(&self) -> String {
        hash(&self.0)
    }
}

/// The localised hint for what zxcvbn found (its own texts are English only).
fn weakness(warning: Option<zxcvbn::feedback::Warning>) -> &'static str {
    use zxcvbn::feedback::Warning as W;
    match warning {
        Some(
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "password-error-repeats",
        Some(
            W::SequencesLikeAbcAreEasyToGuess
            | W::StraightRowsOfKeysAreEasyToGuess
            | W::ShortKeyboardPatternsAreEasyToGuess,
        ) => "password-error-sequence",
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => "password-error-dates",
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => "password-error-common",
        Some(
            W::AWordByItselfIsEasyToGuess
            | W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "password-error-words",
        None => "password-error-weak",
    }
}

/// OWASP's Argon2id parameters: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("hashing cannot fail with valid parameters")
        .to_string()
}

/// Whether `candidate` matches a stored hash. A malformed hash never matches (logged: the
/// account cannot be signed in to until its password is reset).
pub fn verify(stored: &str, candidate: &str) -> bool {
    let parsed = match PasswordHash::new(stored) {
        Ok(parsed) => parsed,
        Err(e) => {
            tracing::error!(error = %e, "a stored password hash is malformed");
            return false;
        }
    };
    match argon2().verify_password(candidate.as_bytes(), &parsed) {
        Ok(()) => true,
        Err(argon2::password_hash::Error::Password) => false,
        Err(e) => {
            tracing::error!(error = %e, "a stored password hash cannot be checked");
            false
        }
    }
}

/// A hash of a random password, verified against when an account does not exist so that an
/// unknown login takes as long as a wrong password.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash("no account has this password"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_personal_passwords_are_refused() {
        assert_eq!(Password::parse("short", &[]).unwrap_err(), FieldError("password-error-short"));
        assert_eq!(
            Password::parse("1q2w3e4r5t", &[]).unwrap_err(),
            FieldError("password-error-common")
        );
        assert_eq!(
            Password::parse("QWERTYUIOP", &[]).unwrap_err(),
            FieldError("password-error-common")
        );
        let personal = ["aigerim@mail.kz", "791028302728"];
        assert_eq!(
            Password::parse("x791028302728x", &personal).unwrap_err(),
            FieldError("password-error-personal")
        );
        assert_eq!(
            Password::parse("my Aigerim@mail.kz!", &personal).unwrap_err(),
            FieldError("password-error-personal")
        );
        assert!(Password::parse("жасыл алма 2026", &personal).is_ok());
    }

    #[test]
    fn passwords_that_are_long_but_easy_to_guess_are_refused_with_a_hint() {
        let refused = |text: &str| Password::parse(text, &[]).unwrap_err().message_id();
        for repeated in ["          ", "!!!!!!!!!!", "1111111111111", "ababababab"] {
            assert_eq!(refused(repeated), "password-error-repeats", "{repeated:?}");
        }
        assert_eq!(refused("qwertyuiop12"), "password-error-common");
        // The person's own name is one of the first guesses.
        let names = ["Серікбаева", "Айгерім"];
        assert!(Password::parse_for("Серікбаева1979", &[], &names).is_err());
        assert!(Password::parse_for("бастықтың ұзын құпиясөзі", &[], &names).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let hash = Password::parse("жасыл алма 2026", &[]).unwrap().hash();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify(&hash, "жасыл алма 2026"));
        assert!(!verify(&hash, "жасыл алма 2027"));
        assert!(!verify("not a hash", "x"));
    }

    #[test]
    fn the_list_is_loaded() {
        assert!(COMMON.len() > 1500);
        assert!(
            COMMON.iter().all(|p| p.chars().count() >= MIN_LENGTH),
            "shorter ones are refused anyway"
        );
    }
}
