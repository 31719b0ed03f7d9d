//! The named parties a member consents to (docs/consent.md): who exactly receives a
//! consent, not only in which role. Pure values with their parsing and checks; the
//! consent events and the access policy use them.
//!
//! A party is written `<kind>:<identifier>`:
//!
//! | kind | identifier | example |
//! |---|---|---|
//! | `physician` | the RIZIV/INAMI number of a treating physician or practice, 11 digits | `physician:10123456004` |
//! | `employment_service` | `vdab`, `forem`, `actiris` or `adg` | `employment_service:vdab` |
//! | `employer` | the employer's enterprise number (KBO/BCE), 10 digits | `employer:0202239951` |
//! | `occupational_health` | the enterprise number of the employer's prevention service | `occupational_health:0409536968` |
//!
//! Dots, spaces, dashes and slashes in a number are ignored (`0202.239.951`); the
//! canonical form has none.

use crate::date::Date;
use crate::event::{ConsentRole, ConsentScope};
use std::fmt;

/// A regional public employment service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EmploymentService {
    /// Flanders.
    Vdab,
    /// Wallonia.
    Forem,
    /// Brussels.
    Actiris,
    /// The German-speaking Community.
    Adg,
}

impl EmploymentService {
    pub const ALL: [EmploymentService; 4] = [
        EmploymentService::Vdab,
        EmploymentService::Forem,
        EmploymentService::Actiris,
        EmploymentService::Adg,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentService::Vdab => "vdab",
            EmploymentService::Forem => "forem",
            EmploymentService::Actiris => "actiris",
            EmploymentService::Adg => "adg",
        }
    }

    pub fn parse(s: &str) -> Option<EmploymentService> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A Belgian enterprise number (KBO/BCE): 10 digits, the first 0 or 1, the last two
/// 97 minus the first eight modulo 97.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnterpriseNumber(u64);

impl EnterpriseNumber {
    pub fn parse(s: &str) -> Result<EnterpriseNumber, PartyError> {
        let digits = digits_of(s, 10, "an enterprise number (KBO/BCE)")?;
        if !matches!(digits.as_bytes()[0], b'0' | b'1') {
            return Err(PartyError(format!(
                "enterprise number {digits} must start with 0 or 1"
            )));
        }
        let n: u64 = digits
            .parse()
            .map_err(|_| PartyError(format!("enterprise number {digits} is not a number")))?;
        let (base, check) = (n / 100, n % 100);
        if 97 - base % 97 != check {
            return Err(PartyError(format!(
                "enterprise number {digits} has wrong check digits (expected {:02})",
                97 - base % 97
            )));
        }
        Ok(EnterpriseNumber(n))
    }
}

impl fmt::Display for EnterpriseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

/// A RIZIV/INAMI number of a physician or practice: 11 digits, the first 1 (care
/// providers). Its check digits follow rules this program does not hold, so only the
/// form is checked; the coordinator confirms the physician when the member names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RizivNumber(u64);

impl RizivNumber {
    pub fn parse(s: &str) -> Result<RizivNumber, PartyError> {
        let digits = digits_of(s, 11, "a RIZIV/INAMI number")?;
        if digits.as_bytes()[0] != b'1' {
            return Err(PartyError(format!(
                "RIZIV/INAMI number {digits} of a care provider starts with 1"
            )));
        }
        digits
            .parse()
            .map(RizivNumber)
            .map_err(|_| PartyError(format!("RIZIV/INAMI number {digits} is not a number")))
    }
}

impl fmt::Display for RizivNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:011}", self.0)
    }
}

/// Who receives a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Party {
    /// The member's own treating physician or practice.
    Physician(RizivNumber),
    /// A regional employment service, as an organisation.
    EmploymentService(EmploymentService),
    /// The employer.
    Employer(EnterpriseNumber),
    /// The employer's occupational health (prevention) service.
    OccupationalHealth(EnterpriseNumber),
}

/// Why a party, or a consent's end date, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PartyError(pub String);

impl Party {
    /// Reads `<kind>:<identifier>`.
    pub fn parse(s: &str) -> Result<Party, PartyError> {
        let Some((kind, id)) = s.split_once(':') else {
            return Err(PartyError(format!(
                "party `{s}` must be written kind:identifier (physician, employment_service, employer or occupational_health)"
            )));
        };
        match kind {
            "physician" => RizivNumber::parse(id).map(Party::Physician),
            "employment_service" => EmploymentService::parse(id)
                .map(Party::EmploymentService)
                .ok_or_else(|| {
                    PartyError(format!(
                        "employment service `{id}` is not one of vdab, forem, actiris, adg"
                    ))
                }),
            "employer" => EnterpriseNumber::parse(id).map(Party::Employer),
            "occupational_health" => EnterpriseNumber::parse(id).map(Party::OccupationalHealth),
            _ => Err(PartyError(format!(
                "unknown kind of party `{kind}`: physician, employment_service, employer or occupational_health"
            ))),
        }
    }

    /// The role whose accounts act for this party.
    pub fn role(self) -> ConsentRole {
        match self {
            Party::Physician(_) => ConsentRole::TreatingPhysician,
            Party::EmploymentService(_) => ConsentRole::EmploymentService,
            Party::Employer(_) => ConsentRole::Employer,
            Party::OccupationalHealth(_) => ConsentRole::OccupationalPhysician,
        }
    }

    /// Checks that a consent to role `to` may name this party.
    pub fn fits(self, to: ConsentRole) -> Result<(), PartyError> {
        if self.role() == to {
            Ok(())
        } else {
            Err(PartyError(format!(
                "party {self} acts as {}, not as {to}",
                self.role()
            )))
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Physician(n) => write!(f, "physician:{n}"),
            Party::EmploymentService(s) => write!(f, "employment_service:{}", s.as_str()),
            Party::Employer(n) => write!(f, "employer:{n}"),
            Party::OccupationalHealth(n) => write!(f, "occupational_health:{n}"),
        }
    }
}

// Stored and exchanged in the written form (`employer:0202239951`).
impl serde::Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Party {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Party, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Party::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Medical data shared between doctors is shared for at most this many months (two
/// years), as on the doctors' own exchange platform (docs/consent.md).
pub const MEDICAL_SHARING_MONTHS: u32 = 24;

/// Checks a consent's end date: after the day it is given, and for medical data shared
/// with a physician at most [`MEDICAL_SHARING_MONTHS`] later. Returns the date the
/// consent ends on: `until`, or for medical sharing without one the longest allowed.
pub fn consent_ends(
    to: ConsentRole,
    scope: ConsentScope,
    given: Date,
    until: Option<Date>,
) -> Result<Option<Date>, PartyError> {
    if let Some(u) = until.filter(|u| *u <= given) {
        return Err(PartyError(format!(
            "`until` {u} must be after the day the consent is given ({given})"
        )));
    }
    let medical_to_doctor = scope == ConsentScope::Medical
        && matches!(
            to,
            ConsentRole::TreatingPhysician | ConsentRole::OccupationalPhysician
        );
    if !medical_to_doctor {
        return Ok(until);
    }
    // The same day two years on; 29 February goes to 28 February.
    let longest = given
        .checked_add_months(chrono::Months::new(MEDICAL_SHARING_MONTHS))
        .unwrap_or(crate::date::MAX_DATE);
    match until {
        Some(u) if u > longest => Err(PartyError(format!(
            "medical data is shared with a physician for at most 2 years: `until` {u} is after {longest}"
        ))),
        Some(u) => Ok(Some(u)),
        None => Ok(Some(longest)),
    }
}

/// The digits of `s` once separators are dropped, exactly `n` of them.
fn digits_of(s: &str, n: usize, what: &str) -> Result<String, PartyError> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-' | '/'))
        .collect();
    if digits.len() != n || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PartyError(format!("`{s}` is not {what} ({n} digits)")));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    /// The check digits of an 8-digit base.
    fn kbo(base: u64) -> String {
        format!("{:08}{:02}", base, 97 - base % 97)
    }

    #[test]
    fn enterprise_numbers_are_checked() {
        // Check digits that hold, with and without separators.
        for ok in ["0202239951", "0202.239.951", "0409 536 968", "0403.170.701"] {
            assert!(EnterpriseNumber::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            EnterpriseNumber::parse("0202.239.951").unwrap().to_string(),
            "0202239951"
        );
        for (bad, why) in [
            ("0202239952", "check digits"),
            ("2202239951", "start with 0 or 1"),
            ("020223995", "10 digits"),
            ("02022399511", "10 digits"),
            ("02022a9951", "10 digits"),
        ] {
            let e = EnterpriseNumber::parse(bad).unwrap_err();
            assert!(e.0.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn parties_read_and_write_back() {
        for s in [
            "physician:10123456004",
            "employment_service:vdab",
            "employment_service:adg",
            "employer:0202239951",
            "occupational_health:0409536968",
        ] {
            assert_eq!(Party::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            Party::parse("employer:0202.239.951").unwrap().to_string(),
            "employer:0202239951"
        );
        for (bad, why) in [
            ("vdab", "kind:identifier"),
            ("employment_service:le_forem", "vdab, forem"),
            ("dentist:10123456004", "unknown kind"),
            ("physician:20123456004", "starts with 1"),
            ("physician:1012345600", "11 digits"),
            ("employer:0202239952", "check digits"),
        ] {
            let e = Party::parse(bad).unwrap_err();
            assert!(e.0.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn a_party_fits_only_its_own_role() {
        let vdab = Party::parse("employment_service:vdab").unwrap();
        assert!(vdab.fits(ConsentRole::EmploymentService).is_ok());
        for r in ConsentRole::ALL
            .iter()
            .filter(|r| **r != ConsentRole::EmploymentService)
        {
            assert!(vdab.fits(*r).is_err(), "{r}");
        }
        let ohs = Party::parse("occupational_health:0409536968").unwrap();
        assert_eq!(ohs.role(), ConsentRole::OccupationalPhysician);
    }

    #[test]
    fn medical_sharing_with_a_physician_ends_within_two_years() {
        let given = d("2026-01-10");
        let gp = ConsentRole::TreatingPhysician;
        assert_eq!(
            consent_ends(gp, ConsentScope::Medical, given, None).unwrap(),
            Some(d("2028-01-10"))
        );
        assert_eq!(
            consent_ends(gp, ConsentScope::Medical, given, Some(d("2027-06-30"))).unwrap(),
            Some(d("2027-06-30"))
        );
        assert!(consent_ends(gp, ConsentScope::Medical, given, Some(d("2028-01-11"))).is_err());
        // Two calendar years, leap day or not.
        assert_eq!(
            consent_ends(gp, ConsentScope::Medical, d("2027-03-01"), None).unwrap(),
            Some(d("2029-03-01"))
        );
        assert_eq!(
            consent_ends(gp, ConsentScope::Medical, d("2028-02-29"), None).unwrap(),
            Some(d("2030-02-28"))
        );
        // Not medical, or not to a physician: no limit, and no end unless given.
        assert_eq!(
            consent_ends(ConsentRole::Employer, ConsentScope::Medical, given, None).unwrap(),
            None
        );
        assert_eq!(
            consent_ends(gp, ConsentScope::Dossier, given, Some(d("2030-01-01"))).unwrap(),
            Some(d("2030-01-01"))
        );
        // An end on or before the day it is given is refused.
        assert!(consent_ends(gp, ConsentScope::Dossier, given, Some(given)).is_err());
    }

    proptest! {
        /// Every 8-digit base with its check digits is accepted, written back the
        /// same, and any other pair of check digits is refused.
        #[test]
        fn enterprise_check_digits(base in 0u64..20_000_000, other in 0u64..100) {
            let good = kbo(base);
            let n = EnterpriseNumber::parse(&good).unwrap();
            prop_assert_eq!(n.to_string(), good.clone());
            let check = 97 - base % 97;
            prop_assume!(other != check);
            let bad = format!("{:08}{:02}", base, other);
            prop_assert!(EnterpriseNumber::parse(&bad).is_err());
        }

        /// Whatever a party string is, parsing either refuses it with a reason or
        /// gives a party whose canonical form parses to itself.
        #[test]
        fn parsing_is_total_and_canonical(s in "[a-z_]{0,20}:?[0-9. a-z]{0,14}") {
            match Party::parse(&s) {
                Ok(p) => prop_assert_eq!(Party::parse(&p.to_string()).unwrap(), p),
                Err(e) => prop_assert!(!e.0.is_empty()),
            }
        }
    }
}
