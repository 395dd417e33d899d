//! `server [serve]`, `server migrate`, `server create-admin --email …`,
//! `server seed-demo [--vacancies N] [--graduates M] [--applications K]`, `server backup --to FILE`.

use clap::{Parser, Subcommand};
use server::config::Config;

#[derive(Parser)]
#[command(name = "server", about = "Leshan graduate employment services portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create an admin account (password from PORTAL_ADMIN_PASSWORD, else generated).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "管理员")]
        name: String,
    },
    /// Copy the SQLite database, consistently, while the server runs (never over an existing
    /// file); for PostgreSQL, say how to use pg_dump.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Add the demo accounts and their data (safe to run again); with the volume options, also
    /// that many generated vacancies, graduates and applications, for benchmarks and load runs.
    SeedDemo {
        /// Published vacancies to add, from a fixed bilingual vocabulary.
        #[arg(long, default_value_t = 0)]
        vacancies: i64,
        /// Graduates to add (at least a quarter of --applications; that many by default).
        #[arg(long)]
        graduates: Option<i64>,
        /// Applications to add, in every status, one of each of four kinds per graduate.
        #[arg(long, default_value_t = 0)]
        applications: i64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    init_tracing(config.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = server::build(config).await?;
            app.run_until(server::shutdown_signal()).await
        }
        Command::Migrate => {
            let pool = server::db::connect(&config.database_url, config.dialect).await?;
            server::db::migrate(&pool, config.dialect).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let pool = server::db::connect(&config.database_url, config.dialect).await?;
            server::db::migrate(&pool, config.dialect).await?;
            server::cli::create_admin(&pool, &email, &name).await
        }
        Command::Backup { to } => {
            let bytes = server::backup::backup(&config, &to).await?;
            println!("backed up to {} ({bytes} bytes)", to.display());
            Ok(())
        }
        Command::SeedDemo { vacancies, graduates, applications } => {
            let pool = server::db::connect(&config.database_url, config.dialect).await?;
            server::db::migrate(&pool, config.dialect).await?;
            println!("demo accounts (role, email, password):");
            server::cli::seed_demo(&config, &pool).await?;
            server::cli::seed_demo_archive(&pool, &server::secret_key(&config, &pool).await?).await?;
            server::cli::seed_volume(&pool, config.dialect, vacancies, graduates.unwrap_or((applications + 3) / 4), applications).await
        }
    }
}

fn init_tracing(json: bool) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if json {
        fmt().with_env_filter(filter).json().init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}
