//! The mechanism every status machine in the portal shares: a table of allowed moves by role
//! (pure, here), and one version-checked step that writes the new status and the timeline
//! event (server only, [`ssr::record_step`]). Applications use it today; the vacancy
//! applicant pipeline (applied → shortlisted → interview → offered → hired) is a second
//! table over another record, with its own statuses and actors, through the same two pieces.

/// One allowed move: from any status in `from`, `by` may take `action`, which leads to `to`.
#[derive(Clone, Copy, Debug)]
pub struct Move<S: 'static, A, R> {
    pub from: &'static [S],
    pub action: A,
    pub by: R,
    pub to: S,
}

/// The status `action` leads to, or `None` when `by` may not take it from `from`.
pub fn next<S: Copy + Eq, A: Copy + Eq, R: Copy + Eq>(table: &[Move<S, A, R>], from: S, action: A, by: R) -> Option<S> {
    table.iter().find(|m| m.action == action && m.by == by && m.from.contains(&from)).map(|m| m.to)
}

/// The actions `by` may take from `from`, in the table's order, each once.
pub fn allowed<S: Copy + Eq, A: Copy + Eq, R: Copy + Eq>(table: &[Move<S, A, R>], from: S, by: R) -> Vec<A> {
    let mut out: Vec<A> = Vec::new();
    for m in table.iter().filter(|m| m.by == by && m.from.contains(&from)) {
        if !out.contains(&m.action) {
            out.push(m.action);
        }
    }
    out
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::{AppError, AppResult};
    use crate::shared::enums::Labelled;
    use crate::shared::identity::Me;
    use crate::ssr::now;
    use sqlx::AnyConnection;

    /// Where a machine keeps its records and their timeline. The record table has `id`,
    /// `status`, `version` and `updated_at`; the events table has the record's id in
    /// `record_key` and `actor_id, actor_role, from_status, to_status, reason, note, at`.
    /// Names are the machine's own constants, never input.
    pub struct Tables {
        pub records: &'static str,
        pub events: &'static str,
        pub record_key: &'static str,
    }

    /// Writes one move, if nobody moved the record since `expected_version`: the new status,
    /// the bumped version and the timeline event, on the caller's transaction. The caller has
    /// checked the move against its table; it adds its side effects and notifications to the
    /// same transaction before committing.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_step<S: Labelled + std::fmt::Debug>(
        conn: &mut AnyConnection,
        tables: &Tables,
        id: i64,
        expected_version: i64,
        from: S,
        to: S,
        actor: &Me,
        reason: &str,
        note: &str,
    ) -> AppResult<()> {
        let t = now();
        let updated = sqlx::query(&format!(
            "UPDATE {} SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4 AND status = $5",
            tables.records
        ))
        .bind(to.as_str())
        .bind(t)
        .bind(id)
        .bind(expected_version)
        .bind(from.as_str())
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() != 1 {
            // Someone else's move committed between the caller's read and this write.
            return Err(AppError::Conflict("application.stale".into()));
        }
        sqlx::query(&format!(
            "INSERT INTO {} ({}, actor_id, actor_role, from_status, to_status, reason, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            tables.events, tables.record_key
        ))
        .bind(id)
        .bind(actor.id)
        .bind(actor.role)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(reason)
        .bind(note)
        .bind(t)
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum S {
        Applied,
        Shortlisted,
        Hired,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum A {
        Shortlist,
        Hire,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum R {
        Employer,
        Graduate,
    }

    const PIPELINE: &[Move<S, A, R>] = &[
        Move { from: &[S::Applied], action: A::Shortlist, by: R::Employer, to: S::Shortlisted },
        Move { from: &[S::Applied, S::Shortlisted], action: A::Hire, by: R::Employer, to: S::Hired },
    ];

    #[test]
    fn a_second_machine_is_just_another_table() {
        assert_eq!(next(PIPELINE, S::Applied, A::Shortlist, R::Employer), Some(S::Shortlisted));
        assert_eq!(next(PIPELINE, S::Shortlisted, A::Hire, R::Employer), Some(S::Hired));
        assert_eq!(next(PIPELINE, S::Applied, A::Shortlist, R::Graduate), None, "wrong role");
        assert_eq!(next(PIPELINE, S::Hired, A::Shortlist, R::Employer), None, "wrong status");
        assert_eq!(allowed(PIPELINE, S::Applied, R::Employer), vec![A::Shortlist, A::Hire]);
        assert!(allowed(PIPELINE, S::Applied, R::Graduate).is_empty());
    }
}
