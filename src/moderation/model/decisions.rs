//! The moderators' decisions on reviews and ticket messages.

use super::*;
use crate::reviews::model::ReviewStatus;
use crate::tickets::model::MessageModeration;
use crate::{reviews, tickets};

/// The states of an item the moderators act on: a review's status, a message's moderation.
pub trait State: Copy + PartialEq {
    /// Shown to those who may see the item.
    const SHOWN: Self;
    const HIDDEN: Self;
    const DELETED: Self;
    /// Waiting for a moderator before it is shown (reviews only).
    const HELD: Option<Self>;

    /// The code stored, and shown in the audit trail.
    fn code(self) -> &'static str;
}

impl State for ReviewStatus {
    const SHOWN: Self = ReviewStatus::Published;
    const HIDDEN: Self = ReviewStatus::Hidden;
    const DELETED: Self = ReviewStatus::Deleted;
    const HELD: Option<Self> = Some(ReviewStatus::Held);

    fn code(self) -> &'static str {
        self.as_str()
    }
}

impl State for MessageModeration {
    const SHOWN: Self = MessageModeration::Visible;
    const HIDDEN: Self = MessageModeration::Hidden;
    const DELETED: Self = MessageModeration::Deleted;
    const HELD: Option<Self> = None;

    fn code(self) -> &'static str {
        self.as_str()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Invisible to everyone but its author and the moderators; kept.
    Hide,
    /// The text is removed; a stub with the reason stays.
    Delete,
    /// A hidden item is shown again.
    Restore,
    /// A held review is published.
    Publish,
    /// The reports were unfounded: the item stays as it is.
    Keep,
}

impl Action {
    pub const ALL: [Action; 5] =
        [Action::Hide, Action::Delete, Action::Restore, Action::Publish, Action::Keep];

    pub fn code(self) -> &'static str {
        match self {
            Action::Hide => "hide",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Keep => "keep",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The state an item in `status` goes to; `None` when the action does not apply.
    /// Reviews are published/held/hidden/deleted, messages visible/hidden/deleted.
    pub fn next<S: State>(self, status: S, open_reports: i64) -> Option<S> {
        let held = S::HELD == Some(status);
        match self {
            Action::Hide if status == S::SHOWN || held => Some(S::HIDDEN),
            Action::Delete if status != S::DELETED => Some(S::DELETED),
            Action::Restore if status == S::HIDDEN => Some(S::SHOWN),
            Action::Publish if held => Some(S::SHOWN),
            Action::Keep if status == S::SHOWN && open_reports > 0 => Some(S::SHOWN),
            _ => None,
        }
    }

    /// Whether the action applies to items of this kind at all.
    pub fn applies_to(self, target: Target) -> bool {
        !(self == Action::Publish && matches!(target, Target::Message(_)))
    }
}

/// What a decision did, for the audit trail and the author's mail.
#[derive(Debug, Clone)]
pub struct Decided {
    pub from: &'static str,
    pub to: &'static str,
    pub author_id: Option<Uuid>,
    /// The page the item is on (the school page or the ticket).
    pub place: String,
    pub reports_resolved: usize,
}

/// The step the action takes from `status`, written by `set` unless the item stays as it is:
/// (from, to) codes, or `None` when the action does not apply.
fn step<S: State>(
    conn: &mut PgConnection, target: Target, action: Action, status: S,
    set: impl FnOnce(&mut PgConnection, S) -> QueryResult<()>,
) -> QueryResult<Option<(&'static str, &'static str)>> {
    let open = open_on(target).count().get_result(conn)?;
    let Some(next) = action.next(status, open) else {
        return Ok(None);
    };
    if action != Action::Keep {
        set(conn, next)?;
    }
    Ok(Some((status.code(), next.code())))
}

/// Applies the decision and resolves the item's open reports, in one transaction; `None` when
/// it does not apply to the item as it now is (e.g. another moderator was quicker).
pub fn decide(
    conn: &mut PgConnection, target: Target, action: Action, moderator: Uuid, reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<Decided>> {
    conn.transaction(|conn| {
        let (step, author_id, place) = match target {
            Target::Review(id) => {
                let (status, author, school) = reviews::model::lock_for_moderation(conn, id)?;
                let set = |conn: &mut PgConnection, next| {
                    reviews::model::set_moderation(conn, id, next, reason, moderator, now)
                };
                (
                    step(conn, target, action, status, set)?,
                    Some(author),
                    format!("/schools/{school}"),
                )
            }
            Target::Message(id) => {
                let (state, author, ticket) =
                    tickets::model::lock_message_for_moderation(conn, id)?;
                let set = |conn: &mut PgConnection, next| {
                    tickets::model::set_message_moderation(conn, id, next, reason, moderator, now)
                };
                (step(conn, target, action, state, set)?, author, format!("/tickets/{ticket}"))
            }
        };
        let Some((from, to)) = step else {
            return Ok(None);
        };
        let reports_resolved = resolve(conn, target, moderator, now)?;
        Ok(Some(Decided { from, to, author_id, place, reports_resolved }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_apply_only_to_items_in_the_right_state() {
        use MessageModeration as M;
        use ReviewStatus as R;
        let message = Target::Message(Uuid::nil());
        assert_eq!(Action::Hide.next(R::Published, 0), Some(R::Hidden));
        assert_eq!(Action::Hide.next(R::Held, 0), Some(R::Hidden));
        assert_eq!(Action::Hide.next(R::Deleted, 1), None);
        assert_eq!(Action::Restore.next(R::Hidden, 0), Some(R::Published));
        assert_eq!(Action::Restore.next(M::Hidden, 0), Some(M::Visible));
        assert_eq!(Action::Restore.next(R::Deleted, 0), None, "text is gone");
        assert_eq!(Action::Publish.next(R::Held, 0), Some(R::Published));
        assert_eq!(Action::Publish.next(R::Hidden, 0), None);
        assert_eq!(Action::Delete.next(M::Hidden, 0), Some(M::Deleted));
        assert_eq!(Action::Keep.next(R::Published, 0), None);
        assert_eq!(Action::Keep.next(M::Visible, 2), Some(M::Visible));
        assert!(!Action::Publish.applies_to(message));
    }
}
