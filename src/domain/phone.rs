//! Kazakhstan mobile numbers, normalised to E.164 with libphonenumber's metadata.

use phonenumber::country::Id;
use phonenumber::{Mode, Type};

use super::{FieldError, compact};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Accepts `+7 701 …`, `8 701 …` and the ten digits `701 …`.
    pub fn parse(text: &str) -> Result<Phone, FieldError> {
        let compact = compact(text);
        if compact.is_empty() {
            return Err(FieldError("phone-error-empty"));
        }
        // Ten digits starting with 7 are a Kazakh number typed without the country code.
        let text = if compact.len() == 10 && compact.starts_with('7') {
            format!("+7{compact}")
        } else {
            compact
        };
        let number = phonenumber::parse(Some(Id::KZ), &text)
            .map_err(|_| FieldError("phone-error-invalid"))?;
        match number.country().id() {
            Some(Id::KZ) => {}
            Some(Id::RU) => return Err(FieldError("phone-error-russian")),
            _ => return Err(FieldError("phone-error-foreign")),
        }
        let mobile = number.is_valid()
            && number.number_type(&phonenumber::metadata::DATABASE) == Type::Mobile;
        if !mobile {
            return Err(FieldError("phone-error-not-mobile"));
        }
        Ok(Phone(number.format().mode(Mode::E164).to_string()))
    }

    /// For reading: `+7 701 123 4567`.
    pub fn display(e164: &str) -> String {
        phonenumber::parse(Some(Id::KZ), e164)
            .map(|n| n.format().mode(Mode::International).to_string())
            .unwrap_or_else(|_| e164.to_string())
    }

    /// E.164, e.g. `+77011234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_mobiles_are_normalised_to_e164() {
        for text in
            ["+77011234567", "87011234567", "8 701 123 45 67", "+7 (701) 123-45-67", "701 123 4567"]
        {
            assert_eq!(Phone::parse(text).unwrap().as_str(), "+77011234567", "{text}");
        }
        assert!(Phone::parse("+77771234567").is_ok());
        assert!(Phone::parse("+77601234567").is_ok());
    }

    #[test]
    fn other_numbers_are_refused_saying_why() {
        assert_eq!(Phone::parse("+79161234567"), Err(FieldError("phone-error-russian")));
        assert_eq!(Phone::parse("+77091234567"), Err(FieldError("phone-error-not-mobile")));
        assert_eq!(Phone::parse("+77991234567"), Err(FieldError("phone-error-not-mobile")));
        assert_eq!(Phone::parse("+7 7172 12 34 56"), Err(FieldError("phone-error-not-mobile")));
        assert_eq!(Phone::parse("+1 202 555 0101"), Err(FieldError("phone-error-foreign")));
        assert_eq!(Phone::parse("phone"), Err(FieldError("phone-error-invalid")));
        assert_eq!(Phone::parse("  "), Err(FieldError("phone-error-empty")));
    }
}
