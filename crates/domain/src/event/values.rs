//! The closed value sets of the event fields (region, scheme, condition, consent
//! role and scope, requester, …), each with its parsing, printing and value list.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a closed set of string values with parsing, printing and the value list.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($text => Some($name::$variant),)+ _ => None } }
            pub fn index(self) -> u8 { self as u8 }
            pub fn from_index(i: u8) -> Option<Self> { Self::ALL.get(usize::from(i)).copied() }
            pub fn expected() -> String { [$($text),+].join(", ") }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

// Lets the event model declare `EventType` the same way.
pub(super) use string_enum;

string_enum!(Sex { M = "m", F = "f", X = "x" });
string_enum!(Language { Nl = "nl", Fr = "fr", De = "de" });
string_enum!(Region { Flanders = "flanders", Wallonia = "wallonia", Brussels = "brussels", German = "german", Abroad = "abroad" });
string_enum!(Scheme { Employee = "employee", Unemployed = "unemployed", SelfEmployed = "self_employed" });
string_enum!(Regime { FullTime = "full_time", PartTime = "part_time" });
string_enum!(WorkType { Manual = "manual", Mental = "mental" });
string_enum!(Condition { Mental = "mental", Musculoskeletal = "musculoskeletal", Injury = "injury", Cancer = "cancer", Nervous = "nervous", Other = "other" });
string_enum!(Initiative { Member = "member", AdvisoryDoctor = "advisory_doctor" });
string_enum!(ContactMode { InPerson = "in_person", Phone = "phone", Video = "video" });
string_enum!(Partner {
    OccupationalPhysician = "occupational_physician",
    EmploymentService = "employment_service",
    CareerGuidance = "career_guidance",
    TrainingCentre = "training_centre",
    Psychologist = "psychologist",
    Employer = "employer",
    Other = "other",
});
string_enum!(
    /// What came of a partner referral.
    PartnerOutcome {
        Started = "started",
        Completed = "completed",
        DeclinedByMember = "declined_by_member",
        DeclinedByPartner = "declined_by_partner",
        NoResponse = "no_response",
        Other = "other",
    }
);
string_enum!(
    /// The letters the fund sends a member from a template.
    LetterKind {
        QuickScanInvitation = "quick_scan_invitation",
        FirstContactInvitation = "first_contact_invitation",
        Reminder = "reminder",
    }
);
string_enum!(
    /// Who carries out a step of the action plan.
    StepOwner {
        Member = "member",
        Coordinator = "coordinator",
        AdvisoryDoctor = "advisory_doctor",
        OccupationalPhysician = "occupational_physician",
        Employer = "employer",
        EmploymentService = "employment_service",
        TreatingPhysician = "treating_physician",
        Other = "other",
    }
);
string_enum!(Requester { Worker = "worker", AdvisoryDoctor = "advisory_doctor", Employer = "employer", TreatingPhysician = "treating_physician" });
string_enum!(Decision { A = "A", B = "B", C = "C", D = "D", E = "E" });
string_enum!(PlanStatus {
    Drafted = "drafted",
    Accepted = "accepted",
    RefusedByWorker = "refused_by_worker",
    RefusedByEmployer = "refused_by_employer",
    CarriedOut = "carried_out",
});
string_enum!(Service { Vdab = "vdab", Forem = "forem", Actiris = "actiris", Adg = "adg" });
string_enum!(Activity {
    Training = "training",
    Retraining = "retraining",
    Coaching = "coaching",
    Reorientation = "reorientation",
    WorkplaceLearning = "workplace_learning",
    UnpaidWork = "unpaid_work",
    Other = "other",
});
string_enum!(Extent { FullTime = "full_time", PartTime = "part_time" });
string_enum!(
    /// What a re-integration plan offers: the own work adapted, or other work.
    PlanWork { Adapted = "adapted", Other = "other" }
);
string_enum!(
    /// How a socio-professional trajectory ended, as the employment service reports it
    /// (no health reason: the employer may read it).
    SocioResult {
        WorkFound = "work_found",
        TrainingCompleted = "training_completed",
        ReadyForWork = "ready_for_work",
        NotCompleted = "not_completed",
    }
);
string_enum!(StopReason {
    Health = "health",
    BackToWork = "back_to_work",
    UnableToWork = "unable_to_work",
    Expectations = "expectations",
    Referred = "referred",
    Other = "other",
});
string_enum!(
    /// Roles a member can consent to share with.
    ConsentRole {
        Coordinator = "coordinator",
        Paramedic = "paramedic",
        AdvisoryDoctor = "advisory_doctor",
        OccupationalPhysician = "occupational_physician",
        Employer = "employer",
        EmploymentService = "employment_service",
        TreatingPhysician = "treating_physician",
    }
);
string_enum!(ConsentScope {
    Dossier = "dossier",
    ReintegrationPlan = "reintegration_plan",
    QuickScan = "quick_scan",
    Medical = "medical",
    SocioProfessional = "socio_professional",
});
