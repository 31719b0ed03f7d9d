//! The fund's user accounts, managed by its admin: create, change role or language,
//! deactivate. Passwords are set at creation (hashed); accounts are never deleted, so
//! the audit log keeps naming real accounts.

use crate::access::{Operator, Principal, Role};
use crate::audit::{entry, Action, Actor};
use crate::dossier::{DossierError, Result};
use crate::handle::App;
use tnw_storage::{AccountStore, AuditStore};

pub use tnw_storage::User;

/// What managing accounts needs: the accounts, and the audit log they are changed in.
pub trait AccountAdmin: AccountStore + AuditStore {}
impl<T: AccountStore + AuditStore + ?Sized> AccountAdmin for T {}

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
    /// Outside actors: the party they act for (`employer:0202239951` …).
    pub party: Option<String>,
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
    /// The party an outside actor acts for.
    pub party: Option<String>,
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
    Ok(crate::access::may_manage_accounts(p)?)
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

/// A member account needs its person; an outside actor's the party it acts for, of
/// its role (docs/consent.md). Returns the party in its written form.
fn check_links(role: Role, person: bool, party: Option<&str>) -> Result<Option<String>> {
    if role.needs_person() && !person {
        return Err(invalid("a member account needs the person it belongs to"));
    }
    let party = party.map(str::trim).filter(|x| !x.is_empty());
    match (role.consent_role(), party) {
        (Some(_), None) => Err(invalid(
            "this role needs the party it acts for (an enterprise, RIZIV/INAMI number or employment service)",
        )),
        (None, Some(_)) => Err(invalid("only actors outside the fund act for a party")),
        (None, None) => Ok(None),
        (Some(to), Some(text)) => {
            let party = tnw_domain::party::Party::parse(text)
                .map_err(|e| invalid(format!("party: {e}")))?;
            party
                .fits(to)
                .map_err(|e| invalid(format!("party: {e}")))?;
            Ok(Some(party.to_string()))
        }
    }
}

fn check_role(r: &str) -> Result<Role> {
    Role::parse(r).ok_or_else(|| invalid(format!("role: `{r}` is not a role")))
}

/// Creates an account in the admin's own fund.
pub fn create<S: AccountAdmin + ?Sized>(
    store: &mut S,
    p: &Principal,
    a: &NewAccount,
) -> Result<()> {
    admin_only(p)?;
    add(store, &p.org, a, Actor::Person(p))
}

/// Creates account `a` in fund `org` (checked like an admin's), audited as `actor`'s.
fn add<S: AccountAdmin + ?Sized>(
    store: &mut S,
    org: &str,
    a: &NewAccount,
    actor: Actor<'_>,
) -> Result<()> {
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
    let party = check_links(role, person.is_some(), a.party.as_deref())?;
    let employer = crate::access::employer_of_account(
        role,
        party.as_deref(),
        a.employer_id.as_deref().map(str::trim),
    );
    let email = a.email.as_deref().map(check_email).transpose()?.flatten();
    if store.user_by_name(&a.username)?.is_some() {
        return Err(DossierError::Unprocessable(format!(
            "username {} already exists",
            a.username
        )));
    }
    let user = User {
        id: 0,
        org: org.into(),
        username: a.username.clone(),
        display_name: a.display_name.trim().into(),
        role: role.as_str().into(),
        password_hash: crate::auth::hash_password(&a.password)?,
        language: a.language.clone(),
        person_id: person.map(|x| x.trim().to_owned()),
        employer_id: employer,
        party,
        active: true,
        email,
    };
    store.create_user(org, &user)?;
    log(store, org, actor, "account created", &a.username)
}

/// Account changes go to the fund's audit log (no dossier attached).
fn log<S: AuditStore + ?Sized>(
    store: &mut S,
    org: &str,
    actor: Actor<'_>,
    what: &str,
    username: &str,
) -> Result<()> {
    let e = entry(
        actor,
        Action::Admin,
        format!("{what}: {username}"),
        "user management",
    );
    store.append(org, &[e])?;
    Ok(())
}

/// Changes an account of the admin's own fund. An admin cannot deactivate or demote
/// themselves (a fund must keep someone who can manage it).
pub fn change<S: AccountAdmin + ?Sized>(
    store: &mut S,
    p: &Principal,
    c: &AccountChange,
) -> Result<()> {
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
    if let Some(x) = &c.party {
        u.party = Some(x.clone()).filter(|x| !x.trim().is_empty());
    }
    if let Some(role) = Role::parse(&u.role) {
        // An outside actor's account made before parties keeps working without one
        // until it is changed (docs/consent.md).
        let legacy = u.party.is_none() && c.party.is_none() && c.role.is_none();
        if !legacy {
            u.party = check_links(role, u.person_id.is_some(), u.party.as_deref())?;
            u.employer_id = crate::access::employer_of_account(
                role,
                u.party.as_deref(),
                u.employer_id.as_deref(),
            );
        }
    }
    if crate::access::locks_out_self(p, &u.username, u.active, &u.role) {
        return Err(DossierError::Unprocessable(
            "you cannot deactivate or demote your own account".into(),
        ));
    }
    if !store.update_user(&p.org, &u)? {
        return Err(DossierError::NotFound);
    }
    log(
        store,
        &p.org,
        Actor::Person(p),
        "account changed",
        &u.username,
    )
}

/// The fund's user accounts: admins only.
pub fn users<S: AccountStore + ?Sized>(store: &mut S, p: &Principal) -> Result<Vec<User>> {
    admin_only(p)?;
    Ok(store.users(&p.org)?)
}

impl App {
    /// Creates an account in the admin `p`'s own fund.
    pub fn create_account(&self, p: &Principal, a: &NewAccount) -> Result<()> {
        self.primary_as(p, |st, _| create(st, p, a))
    }

    /// Changes an account of the admin `p`'s own fund.
    pub fn change_account(&self, p: &Principal, c: &AccountChange) -> Result<()> {
        self.primary_as(p, |st, _| change(st, p, c))
    }

    /// The accounts of the admin `p`'s fund.
    pub fn accounts(&self, p: &Principal) -> Result<Vec<User>> {
        self.primary_as(p, |st, _| users(st, p))
    }

    /// Creates an account in fund `org` from the command line: checked like an admin's
    /// (password of at least [`MIN_PASSWORD`] characters, the links its role needs)
    /// and audited under the operator's name.
    pub fn create_account_as_operator(
        &self,
        op: &Operator,
        org: &str,
        a: &NewAccount,
    ) -> Result<()> {
        self.primary(|st, _| add(st, org, a, Actor::Operator(op)))
    }

    /// The accounts of fund `org`, for the command line.
    pub fn accounts_as_operator(&self, _op: &Operator, org: &str) -> Result<Vec<User>> {
        self.primary(|st, _| Ok(st.users(org)?))
    }
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
