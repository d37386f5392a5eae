use super::FieldError;

/// What a user may do. Every handler checks it on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Student,
    Instructor,
    SchoolStaff,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Student, Role::Instructor, Role::SchoolStaff, Role::Moderator, Role::Admin];

    /// Who checks identification photos: school staff and the operator's admins and moderators.
    pub const PHOTO_REVIEWERS: [Role; 4] =
        [Role::SchoolStaff, Role::Instructor, Role::Admin, Role::Moderator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Instructor => "instructor",
            Role::SchoolStaff => "school_staff",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or(FieldError("role-error-unknown"))
    }
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    /// A minor whose guardian has not confirmed yet: may sign in, may not enrol or upload photos.
    AwaitingGuardian,
    Blocked,
}

impl AccountStatus {
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::AwaitingGuardian => "awaiting_guardian",
            AccountStatus::Blocked => "blocked",
        }
    }

    pub fn parse(code: &str) -> AccountStatus {
        match code {
            "awaiting_guardian" => AccountStatus::AwaitingGuardian,
            "blocked" => AccountStatus::Blocked,
            _ => AccountStatus::Active,
        }
    }
}
