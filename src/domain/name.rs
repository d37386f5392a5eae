use super::FieldError;

/// A last, first or middle name: letters of any alphabet, spaces, hyphens and apostrophes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<PersonName, FieldError> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(FieldError("name-error-empty"));
        }
        if text.chars().count() > 100 {
            return Err(FieldError("name-error-long"));
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’');
        if !text.chars().all(allowed) || !text.chars().next().is_some_and(char::is_alphabetic) {
            return Err(FieldError("name-error-chars"));
        }
        Ok(PersonName(text))
    }

    /// For an optional field: empty is `None`, anything else must parse.
    pub fn parse_optional(text: &str) -> Result<Option<PersonName>, FieldError> {
        if text.trim().is_empty() { Ok(None) } else { PersonName::parse(text).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_kazakh_russian_and_latin_letters_pass() {
        for name in ["Құдайбердіұлы", "Әлия", "Петров-Водкин", "O'Brien", "Нұр Сұлтан"]
        {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(PersonName::parse("  Асқар   Ерлан ").unwrap().as_str(), "Асқар Ерлан");
    }

    #[test]
    fn digits_markup_and_empty_names_are_refused() {
        assert_eq!(PersonName::parse(""), Err(FieldError("name-error-empty")));
        assert_eq!(PersonName::parse("Asqar1"), Err(FieldError("name-error-chars")));
        assert_eq!(PersonName::parse("<b>"), Err(FieldError("name-error-chars")));
        assert_eq!(PersonName::parse("-Ann"), Err(FieldError("name-error-chars")));
        assert_eq!(PersonName::parse(&"а".repeat(101)), Err(FieldError("name-error-long")));
        assert_eq!(PersonName::parse_optional(" "), Ok(None));
    }
}
