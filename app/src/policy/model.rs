//! Policy parameters: the amounts, caps and year windows the rules use. They live in the
//! `policy_parameters` table with the date each value takes effect, so a new provincial notice
//! is an admin's edit, not a release. The seed values and their sources are below.

use crate::shared::time::Date;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// A policy parameter: an amount, a cap or a window the rules read.
    pub enum Param: "param" {
        StartupLoanCapYuan = "startup_loan_cap_yuan",
        StartupLoanTermYears = "startup_loan_term_years",
        StartupSubsidyYuan = "startup_subsidy_yuan",
        StartupSubsidyYearsSinceGraduation = "startup_subsidy_years_since_graduation",
        StartupSubsidyMonthsOperating = "startup_subsidy_months_operating",
        StartupSubsidyYearsSinceRegistration = "startup_subsidy_years_since_registration",
        FlexibleInsuranceSharePercent = "flexible_insurance_share_percent",
        FlexibleInsuranceMaxMonths = "flexible_insurance_max_months",
        FlexibleInsuranceYearsSinceGraduation = "flexible_insurance_years_since_graduation",
        TraineeshipSubsidyPercentOfMinimumWage = "traineeship_subsidy_percent_of_minimum_wage",
        TraineeshipMaxMonths = "traineeship_max_months",
        TraineeshipYearsSinceGraduation = "traineeship_years_since_graduation",
        TraineeshipMinAge = "traineeship_min_age",
        TraineeshipMaxAge = "traineeship_max_age",
        /// Leshan's monthly minimum wage (yuan): the traineeship subsidy is a share of it.
        MinimumWageMonthlyYuan = "minimum_wage_monthly_yuan",
        ArchiveFreeYearsAtSchool = "archive_free_years_at_school",
        IncubationFreeSpacePercent = "incubation_free_space_percent",
        TrainingSubsidyBasicYuan = "training_subsidy_basic_yuan",
        TrainingSubsidyIntermediateYuan = "training_subsidy_intermediate_yuan",
        TrainingSubsidyAdvancedYuan = "training_subsidy_advanced_yuan",
        TrainingSubsidyCompletionYuan = "training_subsidy_completion_yuan",
    }
}

/// One seed value: parameter, effective from, value, source.
pub type Seed = (Param, &'static str, f64, &'static str);

/// The seed values (secondary sources; see ../shared/DESIGN.md).
pub const SEEDS: &[Seed] = &[
    (Param::StartupLoanCapYuan, "2022-01-01", 300_000.0, "National three-ministry notice on startup guaranteed loans (2022): individual cap 300 000 yuan"),
    (Param::StartupLoanCapYuan, "2025-05-01", 500_000.0, "川办规〔2025〕6号: Sichuan individual cap 500 000 yuan, 2025-05-01 to 2027-12-31"),
    (Param::StartupLoanTermYears, "2022-01-01", 3.0, "National notice (2022) and 川办规〔2025〕6号: term up to 3 years, interest subsidised"),
    (Param::StartupSubsidyYuan, "2025-01-01", 5_000.0, "川财规〔2025〕2号 as reported by city HR bureaus: one-off 5 000 yuan"),
    (Param::StartupSubsidyYearsSinceGraduation, "2025-01-01", 5.0, "川财规〔2025〕2号: graduates within 5 years of leaving school"),
    (Param::StartupSubsidyMonthsOperating, "2025-01-01", 6.0, "川财规〔2025〕2号: after 6 months of normal operation"),
    (Param::StartupSubsidyYearsSinceRegistration, "2025-01-01", 2.0, "川财规〔2025〕2号: apply within 2 years of business registration"),
    (Param::FlexibleInsuranceSharePercent, "2020-01-01", 66.67, "Chengdu Q&A on Sichuan rules: up to 2/3 of contributions paid"),
    (Param::FlexibleInsuranceMaxMonths, "2020-01-01", 24.0, "Chengdu Q&A on Sichuan rules: at most 2 years"),
    (Param::FlexibleInsuranceYearsSinceGraduation, "2020-01-01", 2.0, "Chengdu Q&A on Sichuan rules: graduates within 2 years of leaving school"),
    (Param::TraineeshipSubsidyPercentOfMinimumWage, "2020-01-01", 70.0, "Provincial examples: 70–80 % of the local monthly minimum wage"),
    (Param::TraineeshipMaxMonths, "2020-01-01", 12.0, "Provincial examples: up to 12 months"),
    (Param::TraineeshipYearsSinceGraduation, "2020-01-01", 2.0, "Youth traineeship programme: unemployed graduates within 2 years of leaving school"),
    (Param::TraineeshipMinAge, "2020-01-01", 16.0, "Youth traineeship programme: youth aged 16–24"),
    (Param::TraineeshipMaxAge, "2020-01-01", 24.0, "Youth traineeship programme: youth aged 16–24"),
    (
        Param::MinimumWageMonthlyYuan,
        "2022-04-01",
        1_970.0,
        "Sichuan provincial minimum wage adjustment in force from 2022-04-01: monthly tiers 2 100 / 1 970 / 1 870 yuan; \
         Leshan's districts taken at the second tier (1 970). Confirm against the current provincial notice and add the new value with its date",
    ),
    (Param::ArchiveFreeYearsAtSchool, "2020-01-01", 2.0, "State Council graduate notice: archive may stay at the school 2 years free"),
    (Param::IncubationFreeSpacePercent, "2022-01-01", 30.0, "国办发〔2022〕13号: about 30 % of space free for graduate founders"),
    // 川人社规〔2025〕11号 (in force 2025-09-01) has cities publish the amounts per certificate
    // level in their catalogue; these are the commonly reported city figures, for the admin to
    // replace with Leshan's current catalogue. The subsidy never exceeds the fee paid.
    (Param::TrainingSubsidyBasicYuan, "2025-09-01", 1_000.0, "川人社规〔2025〕11号 四川省补贴性职业技能培训管理办法; city catalogue: basic (level 5) certificate up to 1 000 yuan"),
    (Param::TrainingSubsidyIntermediateYuan, "2025-09-01", 1_500.0, "川人社规〔2025〕11号 四川省补贴性职业技能培训管理办法; city catalogue: intermediate (level 4) certificate up to 1 500 yuan"),
    (Param::TrainingSubsidyAdvancedYuan, "2025-09-01", 2_000.0, "川人社规〔2025〕11号 四川省补贴性职业技能培训管理办法; city catalogue: advanced (level 3) certificate up to 2 000 yuan"),
    (Param::TrainingSubsidyCompletionYuan, "2025-09-01", 1_000.0, "川人社规〔2025〕11号 四川省补贴性职业技能培训管理办法; city catalogue: startup training (SYB) or special-ability certificate up to 1 000 yuan"),
];

/// The parameter values with their effective dates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    rows: Vec<(Param, Date, f64)>,
}

impl Policy {
    pub fn seeded() -> Policy {
        let mut p = Policy::default();
        for (param, from, value, _) in SEEDS {
            p.set(*param, Date::parse(from).expect("seed date"), *value);
        }
        p
    }

    pub fn set(&mut self, param: Param, from: Date, value: f64) {
        self.rows.retain(|(p, d, _)| !(*p == param && *d == from));
        self.rows.push((param, from, value));
    }

    /// The value in force on `day`: the latest one that took effect on or before it. Before
    /// the first effective date, the first value applies (there is nothing older to use).
    pub fn get(&self, param: Param, day: Date) -> f64 {
        let mut of_param: Vec<_> = self.rows.iter().filter(|(p, _, _)| *p == param).collect();
        of_param.sort_by_key(|(_, d, _)| *d);
        of_param
            .iter()
            .rev()
            .find(|(_, d, _)| *d <= day)
            .or_else(|| of_param.first())
            .map(|(_, _, v)| *v)
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loan_cap_rises_to_500000_from_may_2025() {
        let p = Policy::seeded();
        assert_eq!(p.get(Param::StartupLoanCapYuan, Date::parse("2025-04-30").unwrap()), 300_000.0);
        assert_eq!(p.get(Param::StartupLoanCapYuan, Date::parse("2025-05-01").unwrap()), 500_000.0);
    }

    #[test]
    fn every_parameter_has_a_seed_with_a_source() {
        for param in Param::ALL {
            assert!(SEEDS.iter().any(|(p, _, _, source)| *p == param && !source.is_empty()), "{param:?}");
            assert_eq!(Param::parse(param.as_str()), Some(param));
        }
    }
}
