//! Form errors: which field, and which message (a Fluent id) to show next to it. One type for
//! every form of the portal; a page localises the messages when it renders.
//!
//! An error that belongs to no single field (the form as a whole) is kept under the pseudo-field
//! [`FORM`], whose anchor is `#field-form`.

use std::borrow::Cow;

use fluent_templates::fluent_bundle::FluentValue;

use super::PageCtx;

/// The pseudo-field of an error about the whole form.
pub const FORM: &str = "form";

/// Errors of one form, in the order of its fields.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(Cow<'static, str>, &'static str)>);

impl FormErrors {
    /// Errors with one error, for a form that fails as a whole.
    pub fn one(field: impl Into<Cow<'static, str>>, message_id: &'static str) -> FormErrors {
        let mut errors = FormErrors::default();
        errors.add(field, message_id);
        errors
    }

    /// Records an error for `field` (the first one for a field is kept). A field is usually a
    /// name written in the code; a page with many like forms may key them at run time.
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message_id: &'static str) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message_id));
        }
    }

    /// Records the error of a parse, returning the value when it parsed.
    pub fn check<T>(
        &mut self, field: &'static str, parsed: Result<T, crate::domain::FieldError>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.message_id());
                None
            }
        }
    }

    /// The message id of the error for `field`.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| *m)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &'static str)> + '_ {
        self.0.iter().map(|(f, m)| (f.as_ref(), *m))
    }

    /// The localised message for `field`.
    pub fn message(&self, ctx: &PageCtx, field: &str) -> Option<String> {
        self.get(field).map(|id| ctx.t(id))
    }

    /// The localised message for `field`, with the Fluent arguments its message may use.
    pub fn message_with(
        &self, ctx: &PageCtx, field: &str, args: &[(&'static str, FluentValue<'static>)],
    ) -> Option<String> {
        self.get(field).map(|id| ctx.lang.t_args(id, args))
    }

    /// The error summary: (field, localised message), in the order the errors were found.
    pub fn summary(&self, ctx: &PageCtx) -> Vec<(String, String)> {
        self.iter().map(|(field, id)| (field.to_string(), ctx.t(id))).collect()
    }
}
