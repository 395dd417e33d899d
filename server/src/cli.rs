//! Subcommands that change data from the command line: the first admin and the demo data.

use app::account::ssr::{self as accounts, NewUser};
use app::account::{CreditCode, DisplayName, Email, Password, Role};
use app::ssr::now;
use sqlx::AnyPool;

/// One demo account per role; the run script prints these and the README lists them.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 4] = [
    ("graduate@leshan.example", "demo-graduate-2026", "李明", Role::Graduate),
    ("employer@leshan.example", "demo-employer-2026", "王芳", Role::Employer),
    ("caseworker@leshan.example", "demo-caseworker-2026", "张伟", Role::CaseWorker),
    ("admin@leshan.example", "demo-admin-2026", "陈静", Role::Admin),
];

/// Creates an account unless the address is taken; returns its id and whether it was new.
async fn ensure_user(pool: &AnyPool, email: &str, password: &str, name: &str, role: Role) -> anyhow::Result<(i64, bool)> {
    let email = Email::parse(email).map_err(|k| anyhow::anyhow!("email: {k}"))?;
    let password = Password::parse(password).map_err(|k| anyhow::anyhow!("password: {k}"))?;
    let name = DisplayName::parse(name).map_err(|k| anyhow::anyhow!("name: {k}"))?;
    let mut conn = pool.acquire().await?;
    if let Some(id) = accounts::user_id_by_email(&mut conn, &email).await? {
        return Ok((id, false));
    }
    let hash = accounts::hash_password(&password).await?;
    let user = NewUser { email: &email, password_hash: &hash, role, display_name: &name, locale: "zh-CN", verified: true };
    let id = accounts::insert_user(&mut conn, user).await?.ok_or_else(|| anyhow::anyhow!("{} was taken meanwhile", email.as_str()))?;
    Ok((id, true))
}

async fn ensure_employer(pool: &AnyPool, user_id: i64, name: &str, code17: &str, verified: bool) -> anyhow::Result<()> {
    let code = CreditCode::with_check_char(code17).ok_or_else(|| anyhow::anyhow!("bad demo code"))?;
    sqlx::query(
        "INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (credit_code) DO NOTHING",
    )
    .bind(user_id)
    .bind(name)
    .bind(code)
    .bind(if verified { "verified" } else { "pending" })
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}

/// Demo data: the four accounts, the demo employer's verified organisation and one more
/// employer waiting for a case worker. Running it twice changes nothing.
pub async fn seed_demo(pool: &AnyPool) -> anyhow::Result<()> {
    for (email, password, name, role) in DEMO_ACCOUNTS {
        let (id, created) = ensure_user(pool, email, password, name, role).await?;
        if role == Role::Employer {
            ensure_employer(pool, id, "乐山示例科技有限公司", "91511100MA62D6H2X", true).await?;
        }
        println!("  {:<12} {:<28} {}{}", role.as_str(), email, password, if created { "" } else { "   (already there)" });
    }
    let (pending_id, _) = ensure_user(pool, "hr@emeishan-travel.example", "demo-employer-2026", "刘洋", Role::Employer).await?;
    ensure_employer(pool, pending_id, "峨眉山示例旅游有限公司", "91511181MA6B7K3P4", false).await?;
    Ok(())
}

/// The first admin. The password comes from PORTAL_ADMIN_PASSWORD, or is generated and
/// printed once.
pub async fn create_admin(pool: &AnyPool, email: &str, name: &str) -> anyhow::Result<()> {
    let (password, generated) = match std::env::var("PORTAL_ADMIN_PASSWORD") {
        Ok(p) => (p, false),
        Err(_) => (app::ssr::new_token().0[..20].to_string(), true),
    };
    let (_, created) = ensure_user(pool, email, &password, name, Role::Admin).await?;
    if !created {
        anyhow::bail!("{email} already has an account");
    }
    println!("admin {email} created");
    if generated {
        println!("password: {password}\n(shown once; change it after signing in)");
    }
    Ok(())
}
