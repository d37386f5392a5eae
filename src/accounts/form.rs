//! Form errors: which field, and which message (a Fluent id) to show next to it.

/// Errors of one form, in the order of its fields.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(&'static str, &'static str)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message_id: &'static str) {
        if self.get(field).is_none() {
            self.0.push((field, message_id));
        }
    }

    /// Records the error of a parse, returning the value when it parsed.
    pub fn check<T>(
        &mut self,
        field: &'static str,
        parsed: Result<T, crate::domain::FieldError>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.message_id());
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.0.iter().copied()
    }
}
