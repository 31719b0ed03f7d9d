//! The fund's user accounts, managed by its admin: create, change role or language,
//! deactivate. Passwords are set at creation (hashed); accounts are never deleted, so
//! the audit log keeps naming real accounts.

use crate::access::{Principal, Role};
use crate::dossier::{DossierError, Result};
use tnw_storage::Store;

/// What an admin fills in for a new account.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub language: String,
    pub password: String,
    pub person_id: Option<String>,
    pub employer_id: Option<String>,
    /// Where reminders go (staff); empty for none.
    pub email: Option<String>,
}

/// A change to an existing account.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub username: String,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub language: Option<String>,
    pub active: Option<bool>,
    /// `Some("")` removes the address.
    pub email: Option<String>,
}

/// An e-mail address as far as we check it: one `@`, no spaces, at most 254 bytes.
pub fn check_email(e: &str) -> Result<Option<String>> {
    let e = e.trim();
    if e.is_empty() {
        return Ok(None);
    }
    let ok = e.len() <= 254
        && e.matches('@').count() == 1
        && !e.starts_with('@')
        && !e.ends_with('@')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    if ok {
        Ok(Some(e.to_owned()))
    } else {
        Err(invalid(format!("e-mail: `{e}` is not an address")))
    }
}

pub const MIN_PASSWORD: usize = 12;

fn admin_only(p: &Principal) -> Result<()> {
    if p.role == Role::Admin {
        Ok(())
    } else {
        Err(crate::access::Refusal::NoDossierAccess.into())
    }
}

fn invalid(msg: impl Into<String>) -> DossierError {
    DossierError::BadRequest(msg.into())
}

fn check_username(u: &str) -> Result<()> {
    let ok = (2..=64).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "username: 2–64 characters, lowercase letters, digits, `.`, `_` or `-`",
        ))
    }
}

fn check_display(d: &str) -> Result<()> {
    if d.trim().is_empty() || d.chars().count() > 200 || d.chars().any(char::is_control) {
        Err(invalid("display name: 1–200 characters"))
    } else {
        Ok(())
    }
}

fn check_language(l: &str) -> Result<()> {
    if ["nl", "fr", "de", "en"].contains(&l) {
        Ok(())
    } else {
        Err(invalid("language: nl, fr, de or en"))
    }
}

fn check_role(r: &str) -> Result<Role> {
    Role::parse(r).ok_or_else(|| invalid(format!("role: `{r}` is not a role")))
}

/// Creates an account in the admin's own fund.
pub fn create(store: &mut dyn Store, p: &Principal, a: &NewAccount) -> Result<()> {
    admin_only(p)?;
    check_username(&a.username)?;
    check_display(&a.display_name)?;
    check_language(&a.language)?;
    let role = check_role(&a.role)?;
    if a.password.chars().count() < MIN_PASSWORD || a.password.len() > 1000 {
        return Err(invalid(format!(
            "password: at least {MIN_PASSWORD} characters"
        )));
    }
    let person = a.person_id.as_deref().filter(|x| !x.trim().is_empty());
    let employer = a.employer_id.as_deref().filter(|x| !x.trim().is_empty());
    match role {
        Role::Member if person.is_none() => {
            return Err(invalid("a member account needs the person it belongs to"))
        }
        Role::Employer | Role::OccupationalPhysician if employer.is_none() => {
            return Err(invalid("this role needs the employer it acts for"))
        }
        _ => {}
    }
    let email = a.email.as_deref().map(check_email).transpose()?.flatten();
    if store.user_by_name(&a.username)?.is_some() {
        return Err(DossierError::Unprocessable(format!(
            "username {} already exists",
            a.username
        )));
    }
    crate::auth::create_user(
        store,
        &p.org,
        &a.username,
        a.display_name.trim(),
        role,
        &a.password,
        &a.language,
        person.map(str::trim),
        employer.map(str::trim),
    )?;
    if email.is_some() {
        if let Some(mut u) = store.user_by_name(&a.username)? {
            u.email = email;
            store.update_user(&p.org, &u)?;
        }
    }
    log(store, p, "account created", &a.username)
}

/// Account changes go to the fund's audit log (no dossier attached).
fn log(store: &mut dyn Store, p: &Principal, what: &str, username: &str) -> Result<()> {
    let entry = tnw_storage::AuditEntry {
        username: p.username.clone(),
        role: p.role.as_str().into(),
        action: "admin".into(),
        what: format!("{what}: {username}"),
        purpose: "user management".into(),
    };
    store.write_cases(&p.org, None, &[], &[(None, entry)])?;
    Ok(())
}

/// Changes an account of the admin's own fund. An admin cannot deactivate or demote
/// themselves (a fund must keep someone who can manage it).
pub fn change(store: &mut dyn Store, p: &Principal, c: &AccountChange) -> Result<()> {
    admin_only(p)?;
    let Some(mut u) = store.user_by_name(&c.username)?.filter(|u| u.org == p.org) else {
        return Err(DossierError::NotFound);
    };
    if let Some(d) = &c.display_name {
        check_display(d)?;
        u.display_name = d.trim().to_owned();
    }
    if let Some(l) = &c.language {
        check_language(l)?;
        u.language = l.clone();
    }
    if let Some(r) = &c.role {
        u.role = check_role(r)?.as_str().to_owned();
    }
    if let Some(a) = c.active {
        u.active = a;
    }
    if let Some(e) = &c.email {
        u.email = check_email(e)?;
    }
    match Role::parse(&u.role) {
        Some(Role::Member) if u.person_id.is_none() => {
            return Err(invalid("a member account needs the person it belongs to"))
        }
        Some(Role::Employer | Role::OccupationalPhysician) if u.employer_id.is_none() => {
            return Err(invalid("this role needs the employer it acts for"))
        }
        _ => {}
    }
    if u.username == p.username && (!u.active || u.role != Role::Admin.as_str()) {
        return Err(DossierError::Unprocessable(
            "you cannot deactivate or demote your own account".into(),
        ));
    }
    if !store.update_user(&p.org, &u)? {
        return Err(DossierError::NotFound);
    }
    log(store, p, "account changed", &u.username)
}

#[cfg(test)]
mod tests {
    use super::check_email;

    #[test]
    fn addresses() {
        assert_eq!(
            check_email(" ann@fund.example ").unwrap().as_deref(),
            Some("ann@fund.example")
        );
        assert_eq!(check_email("").unwrap(), None);
        for bad in ["ann", "@x", "a@", "a b@x", "a@b@c", "a<b>@x", "a\u{7}@x"] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
    }
}
