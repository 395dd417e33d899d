//! Choices that more than one service offers or filters by: Leshan's places, degrees, a
//! graduate's employment status and the services they ask for. Forms send the string form; the
//! database stores it; labels live under the prefix in the locale files.

crate::labelled_enum! {
    /// Leshan's districts, counties and county-level city, then "other" (户籍所在地, 工作地点).
    pub enum Place: "place" {
        Shizhong = "shizhong",
        Shawan = "shawan",
        Wutongqiao = "wutongqiao",
        Jinkouhe = "jinkouhe",
        Qianwei = "qianwei",
        Jingyan = "jingyan",
        Jiajiang = "jiajiang",
        Muchuan = "muchuan",
        Ebian = "ebian",
        Mabian = "mabian",
        Emeishan = "emeishan",
        Other = "other",
    }
}

impl Place {
    pub fn in_leshan(self) -> bool {
        self != Place::Other
    }
}

crate::labelled_enum! {
    pub enum Degree: "degree" {
        JuniorCollege = "junior_college",
        Bachelor = "bachelor",
        Master = "master",
        Doctorate = "doctorate",
    }
}

crate::labelled_enum! {
    pub enum EmploymentStatus: "employment" {
        Unemployed = "unemployed",
        Employed = "employed",
        Flexible = "flexible",
        SelfEmployed = "self_employed",
        Studying = "studying",
    }
}

crate::labelled_enum! {
    /// What a graduate asks the centre for at registration.
    pub enum ServiceNeed: "need" {
        JobMatching = "job_matching",
        Traineeship = "traineeship",
        Training = "training",
        Startup = "startup",
        Archive = "archive",
    }
}

crate::labelled_enum! {
    pub enum Gender: "gender" {
        Male = "male",
        Female = "female",
    }
}
