#include "secret/rules.h"

namespace drydock::secret {

namespace {

constexpr Severity C = Severity::kCritical;
constexpr Severity H = Severity::kHigh;
constexpr Severity M = Severity::kMedium;

// One row per rule. Keywords are comma-separated. Flags: 'i' caseless,
// 'b' base64 user:password.
struct Row {
  const char* id;
  const char* category;
  const char* title;
  Severity severity;
  const char* keywords;
  const char* regex;
  double entropy = 0;
  const char* flags = "";
  const char* path = "";
};

// A value assigned to a key: `key = "v"`, `key: v`, `"key": "v"`, `key => v`.
#define ASSIGN R"([\w.\-]{0,20}["']?\s{0,4}(?:=|:|=>|:=)\s{0,4}["']?)"
// The key prefix of a private-key PEM block, up to the first 40 body chars.
#define PEM_BODY \
  R"(-----(?:\s|\\n|\\r)*(?:[A-Za-z\-]{1,20}: ?[^\n\\]{0,200}(?:\n|\\n)(?:\s|\\n|\\r)*){0,6}([A-Za-z0-9+/=]{40}))"
#define UUID "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

const Row kRows[] = {
    // --- private keys (a key in a home directory is named for where it is) ---
    {"ssh-key-in-home", "private-key", "SSH private key in a home directory", C, "PRIVATE KEY",
     "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY" PEM_BODY, 0, "",
     R"(^/(?:root|home/[^/]+)/\.ssh/id_[A-Za-z0-9_]+$)"},
    {"gcp-service-account-key", "cloud", "GCP service account private key", C, "private_key,service_account",
     R"("private_key"\s{0,4}:\s{0,4}"-----BEGIN PRIVATE KEY)" PEM_BODY},
    {"private-key-rsa", "private-key", "RSA private key", H, "BEGIN RSA PRIVATE KEY",
     "-----BEGIN RSA PRIVATE KEY" PEM_BODY},
    {"private-key-ec", "private-key", "EC private key", H, "BEGIN EC PRIVATE KEY",
     "-----BEGIN EC PRIVATE KEY" PEM_BODY},
    {"private-key-dsa", "private-key", "DSA private key", H, "BEGIN DSA PRIVATE KEY",
     "-----BEGIN DSA PRIVATE KEY" PEM_BODY},
    {"private-key-openssh", "private-key", "OpenSSH private key", H, "BEGIN OPENSSH PRIVATE KEY",
     "-----BEGIN OPENSSH PRIVATE KEY" PEM_BODY},
    {"private-key-pkcs8-encrypted", "private-key", "Encrypted PKCS#8 private key", M, "BEGIN ENCRYPTED PRIVATE KEY",
     "-----BEGIN ENCRYPTED PRIVATE KEY" PEM_BODY},
    {"private-key-pkcs8", "private-key", "PKCS#8 private key", H, "BEGIN PRIVATE KEY",
     "-----BEGIN PRIVATE KEY" PEM_BODY},
    {"private-key-pgp", "private-key", "PGP private key block", H, "BEGIN PGP PRIVATE KEY BLOCK",
     "-----BEGIN PGP PRIVATE KEY BLOCK" PEM_BODY},
    {"private-key-putty", "private-key", "PuTTY private key", H, "PuTTY-User-Key-File,Private-Lines",
     R"(\bPrivate-Lines: \d{1,4}\r?\n([A-Za-z0-9+/=]{40}))"},
    {"age-secret-key", "private-key", "age secret key", H, "AGE-SECRET-KEY-1",
     R"(\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b)"},

    // --- cloud providers ---
    {"aws-access-key-id", "cloud", "AWS access key ID", C, "AKIA,ASIA,ABIA,ACCA",
     R"(\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b)"},
    {"aws-secret-access-key", "cloud", "AWS secret access key", C, "aws_secret_access_key,secret_access_key",
     R"((?:aws)?_?secret_?(?:access)?_?key)" ASSIGN R"(([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))", 3.5, "i"},
    {"aws-session-token", "cloud", "AWS session token", H, "aws_session_token",
     R"((?:aws_?session_?token|AWS_?SESSION_?TOKEN))" ASSIGN R"(([A-Za-z0-9/+=]{100,1200}))", 4.0},
    {"aws-mws-key", "cloud", "Amazon MWS auth token", H, "amzn.mws", R"(\b(amzn\.mws\.)" UUID R"())"},
    {"gcp-api-key", "cloud", "Google API key", H, "AIza", R"(\b(AIza[0-9A-Za-z_\-]{35})\b)"},
    {"gcp-oauth-client-secret", "cloud", "Google OAuth client secret", H, "GOCSPX-",
     R"(\b(GOCSPX-[0-9A-Za-z_\-]{28})\b)"},
    {"google-oauth-access-token", "cloud", "Google OAuth access token", H, "ya29.",
     R"(\b(ya29\.[0-9A-Za-z_\-]{30,500}))"},
    {"azure-storage-connection-string", "cloud", "Azure storage connection string", C,
     "DefaultEndpointsProtocol,AccountKey",
     R"(DefaultEndpointsProtocol=https?;AccountName=[^;\s]{1,64};AccountKey=([A-Za-z0-9+/]{86}==))"},
    {"azure-storage-account-key", "cloud", "Azure storage account key", C, "AccountKey",
     R"(AccountKey\s{0,4}[=:]\s{0,4}["']?([A-Za-z0-9+/]{86}==))"},
    {"azure-sas-token", "cloud", "Azure shared access signature", H,
     "sig=", R"(\bsv=\d{4}-\d\d-\d\d&[^\s"']{0,300}\bsig=([A-Za-z0-9%+/]{40,100}))"},
    {"azure-ad-client-secret", "cloud", "Azure AD client secret", H, "Q~",
     R"((?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$))"},
    {"digitalocean-pat", "cloud", "DigitalOcean personal access token", C, "dop_v1_", R"(\b(dop_v1_[a-f0-9]{64})\b)"},
    {"digitalocean-oauth-token", "cloud", "DigitalOcean OAuth token", C, "doo_v1_", R"(\b(doo_v1_[a-f0-9]{64})\b)"},
    {"digitalocean-refresh-token", "cloud", "DigitalOcean refresh token", H, "dor_v1_", R"(\b(dor_v1_[a-f0-9]{64})\b)"},
    {"alibaba-access-key-id", "cloud", "Alibaba Cloud AccessKey ID", H, "LTAI", R"(\b(LTAI[A-Za-z0-9]{12,20})\b)"},
    {"alibaba-secret-key", "cloud", "Alibaba Cloud AccessKey secret", C, "alibaba,aliyun,alicloud",
     R"((?:alibaba|aliyun|alicloud)[\w.\-]{0,20}secret)" ASSIGN R"(([A-Za-z0-9]{30})\b)", 3.5, "i"},
    {"heroku-api-key", "cloud", "Heroku API key", H, "heroku",
     R"(heroku[\w.\-]{0,20}(?:key|token))" ASSIGN "(" UUID ")", 0, "i"},
    {"heroku-api-key-v2", "cloud", "Heroku API key", H, "HRKU-", R"(\b(HRKU-[A-Za-z0-9_\-]{60}))"},
    {"cloudflare-api-token", "cloud", "Cloudflare API token", H, "cloudflare",
     R"(cloudflare[\w.\-]{0,20}(?:token|key))" ASSIGN R"(([A-Za-z0-9_\-]{40})\b)", 3.5, "i"},
    {"ibm-cloud-api-key", "cloud", "IBM Cloud API key", H, "ibm",
     R"(ibm[\w.\-]{0,20}(?:api_?key|apikey))" ASSIGN R"(([A-Za-z0-9_\-]{44})\b)", 3.5, "i"},
    {"databricks-token", "cloud", "Databricks API token", H, "dapi", R"(\b(dapi[a-f0-9]{32}(?:-\d)?)\b)"},
    {"planetscale-token", "cloud", "PlanetScale token or password", H, "pscale_",
     R"(\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64}))"},
    {"supabase-token", "cloud", "Supabase access token", H, "sbp_", R"(\b(sbp_[a-f0-9]{40})\b)"},
    {"tailscale-key", "cloud", "Tailscale key", H, "tskey-",
     R"(\b(tskey-(?:auth|api|client)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b)"},
    {"scalingo-token", "cloud", "Scalingo API token", H, "tk-us-", R"(\b(tk-us-[A-Za-z0-9_\-]{48})\b)"},
    {"render-api-key", "cloud", "Render API key", H, "rnd_", R"(\b(rnd_[A-Za-z0-9]{32})\b)"},

    // --- VCS and CI ---
    {"github-pat", "vcs", "GitHub personal access token", C, "ghp_", R"(\b(ghp_[A-Za-z0-9]{36})\b)"},
    {"github-fine-grained-pat", "vcs", "GitHub fine-grained personal access token", C, "github_pat_",
     R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)"},
    {"github-oauth-token", "vcs", "GitHub OAuth access token", C, "gho_", R"(\b(gho_[A-Za-z0-9]{36})\b)"},
    {"github-app-token", "vcs", "GitHub App token", C, "ghu_,ghs_", R"(\b((?:ghu|ghs)_[A-Za-z0-9]{36})\b)"},
    {"github-refresh-token", "vcs", "GitHub refresh token", H, "ghr_", R"(\b(ghr_[A-Za-z0-9]{36,76})\b)"},
    {"gitlab-pat", "vcs", "GitLab personal access token", C, "glpat-", R"(\b(glpat-[A-Za-z0-9_\-]{20,50})\b)"},
    {"gitlab-pipeline-trigger-token", "vcs", "GitLab pipeline trigger token", H, "glptt-",
     R"(\b(glptt-[0-9a-f]{40})\b)"},
    {"gitlab-runner-token", "vcs", "GitLab runner authentication token", H, "glrt-",
     R"(\b(glrt-[A-Za-z0-9_\-]{20,50})\b)"},
    {"gitlab-deploy-token", "vcs", "GitLab deploy token", H, "gldt-", R"(\b(gldt-[A-Za-z0-9_\-]{20,50})\b)"},
    {"bitbucket-app-password", "vcs", "Bitbucket app password", H, "ATBB", R"(\b(ATBB[A-Za-z0-9_=.\-]{32})\b)"},
    {"bitbucket-client-secret", "vcs", "Bitbucket OAuth client secret", H, "bitbucket",
     R"(bitbucket[\w.\-]{0,20}secret)" ASSIGN R"(([A-Za-z0-9=_\-]{64})\b)", 3.5, "i"},
    {"azure-devops-pat", "vcs", "Azure DevOps personal access token", H, "azure,ado,vsts",
     R"((?:azure_?devops|ado|vsts)[\w.\-]{0,20}(?:pat|token))" ASSIGN R"(([a-z2-7]{52})\b)", 3.5, "i"},
    {"circleci-token", "ci", "CircleCI personal API token", H, "CCIPAT_",
     R"(\b(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b)"},
    {"buildkite-token", "ci", "Buildkite agent or API token", H, "bkua_", R"(\b(bkua_[a-f0-9]{40})\b)"},
    {"sonarqube-token", "ci", "SonarQube token", M, "sqp_,sqa_,squ_", R"(\b(sq[pau]_[a-f0-9]{40})\b)"},
    {"git-credentials", "vcs", "Git credential store entry", C, "://",
     R"(\bhttps?://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9])", 0, "", R"((^|/)\.git-credentials$)"},
    {"netrc-password", "vcs", "Password in a .netrc entry", H, "machine,password",
     R"(\bmachine\s{1,8}[^\s]{1,255}\s{1,8}login\s{1,8}[^\s]{1,255}\s{1,8}password\s{1,8}([^\s]{3,255}))"},

    // --- package registries ---
    {"npm-token", "registry", "npm access token", C, "npm_", R"(\b(npm_[A-Za-z0-9]{36})\b)"},
    {"npmrc-auth-token", "registry", "npm registry token in .npmrc", H, "_authToken",
     R"(_authToken\s{0,4}=\s{0,4}["']?([A-Za-z0-9_\-.=+/]{20,512}))", 3.0},
    {"npmrc-auth", "registry", "npm registry basic auth in .npmrc", H, "_auth",
     R"(\b_auth\s{0,4}=\s{0,4}["']?([A-Za-z0-9+/]{8,512}={0,2}))", 0, "b"},
    {"pypi-token", "registry", "PyPI upload token", C, "pypi-AgEIcHlwaS5vcmc",
     R"(\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,300}))"},
    {"rubygems-api-key", "registry", "RubyGems API key", H, "rubygems_", R"(\b(rubygems_[a-f0-9]{48})\b)"},
    {"nuget-api-key", "registry", "NuGet API key", H, "oy2", R"(\b(oy2[a-z0-9]{43})\b)"},
    {"docker-config-auth", "registry", "Registry credentials in a Docker config.json", H, "\"auth\"",
     R"~("auth"\s{0,4}:\s{0,4}"([A-Za-z0-9+/]{6,1024}={0,2})")~", 0, "b"},
    {"dockerhub-pat", "registry", "Docker Hub personal access token", H, "dckr_pat_",
     R"(\b(dckr_pat_[A-Za-z0-9_\-]{27})(?:[^A-Za-z0-9_\-]|$))"},
    {"artifactory-api-key", "registry", "JFrog Artifactory API key", H, "AKCp", R"(\b(AKCp[A-Za-z0-9]{69})\b)"},
    {"clojars-token", "registry", "Clojars deploy token", H, "CLOJARS_", R"(\b(CLOJARS_[a-z0-9]{60})\b)"},

    // --- chat ---
    {"slack-bot-token", "chat", "Slack bot token", H, "xoxb-",
     R"(\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b)"},
    {"slack-user-token", "chat", "Slack user token", H, "xoxp-,xoxe-",
     R"(\b(xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9]{28,34})\b)"},
    {"slack-app-token", "chat", "Slack app-level token", H, "xapp-",
     R"(\b(xapp-\d-[A-Z0-9]{8,12}-\d{10,14}-[a-z0-9]{64})\b)"},
    {"slack-webhook", "chat", "Slack incoming webhook URL", H, "hooks.slack.com",
     R"(https://hooks\.slack\.com/(?:services|workflows)/(T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{24}))"},
    {"discord-webhook", "chat", "Discord webhook URL", H, "discord",
     R"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/([A-Za-z0-9_\-]{60,70}))"},
    {"discord-bot-token", "chat", "Discord bot token", H, "discord",
     R"(discord[\w.\-]{0,20}(?:token|key))" ASSIGN
     R"(([MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}))",
     0, "i"},
    {"telegram-bot-token", "chat", "Telegram bot token", H, ":AA",
     R"((?:^|[^0-9])([0-9]{8,10}:AA[A-Za-z0-9_\-]{33})(?:[^A-Za-z0-9_\-]|$))"},
    {"teams-webhook", "chat", "Microsoft Teams incoming webhook URL", H, "webhook.office.com",
     R"(https://[a-z0-9\-]{1,64}\.webhook\.office\.com/webhookb2/([a-z0-9\-]{36}@[a-z0-9\-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9\-]{36}))"},
    {"twitter-bearer-token", "chat", "Twitter/X bearer token", H, "twitter,bearer,AAAAAAAAAAAAAAAAAAAAA",
     R"((?:twitter|TWITTER|Twitter|bearer|BEARER|Bearer)[\w.\-]{0,20})" ASSIGN
     R"((AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{30,120})(?:[^A-Za-z0-9+/%=]|$))"},
    {"facebook-access-token", "chat", "Facebook access token", H, "EAACEdEose0cBA",
     R"(\b(EAACEdEose0cBA[0-9A-Za-z]{20,200}))"},

    // --- payments ---
    {"stripe-secret-key", "payment", "Stripe live secret key", C, "sk_live_", R"(\b(sk_live_[A-Za-z0-9]{24,99})\b)"},
    {"stripe-restricted-key", "payment", "Stripe live restricted key", H, "rk_live_",
     R"(\b(rk_live_[A-Za-z0-9]{24,99})\b)"},
    {"stripe-webhook-secret", "payment", "Stripe webhook signing secret", H, "whsec_",
     R"(\b(whsec_[A-Za-z0-9]{32,64})\b)"},
    {"square-access-token", "payment", "Square access token", C, "sq0atp-,EAAA",
     R"(\b(sq0atp-[0-9A-Za-z_\-]{22}|EAAA[A-Za-z0-9_\-]{60})(?:[^A-Za-z0-9_\-]|$))"},
    {"square-oauth-secret", "payment", "Square OAuth secret", C, "sq0csp-", R"(\b(sq0csp-[0-9A-Za-z_\-]{43}))"},
    {"braintree-access-token", "payment", "PayPal Braintree access token", C, "access_token$production$",
     R"(\b(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})\b)"},
    {"paypal-client-secret", "payment", "PayPal client secret", H, "paypal",
     R"(paypal[\w.\-]{0,20}secret)" ASSIGN R"(([A-Za-z0-9_\-]{80})\b)", 3.5, "i"},
    {"shippo-token", "payment", "Shippo API token", H, "shippo_", R"(\b(shippo_live_[a-f0-9]{40})\b)"},
    {"easypost-api-key", "payment", "EasyPost API key", H, "EZAK", R"(\b(EZAK[A-Za-z0-9]{54})\b)"},

    // --- SaaS ---
    {"twilio-api-key", "saas", "Twilio API key", H, "SK", R"(\b(SK[0-9a-fA-F]{32})\b)"},
    {"twilio-auth-token", "saas", "Twilio auth token", H, "twilio",
     R"(twilio[\w.\-]{0,20}(?:token|secret))" ASSIGN R"(([a-f0-9]{32})\b)", 3.0, "i"},
    {"sendgrid-api-key", "saas", "SendGrid API key", H, "SG.", R"(\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}))"},
    {"mailgun-api-key", "saas", "Mailgun API key", H, "key-", R"(\b(key-[0-9a-f]{32})\b)"},
    {"mailchimp-api-key", "saas", "Mailchimp API key", H, "-us", R"(\b([0-9a-f]{32}-us[0-9]{1,2})\b)"},
    {"shopify-access-token", "saas", "Shopify access token", H, "shpat_", R"(\b(shpat_[a-fA-F0-9]{32})\b)"},
    {"shopify-custom-app-token", "saas", "Shopify custom app access token", H, "shpca_",
     R"(\b(shpca_[a-fA-F0-9]{32})\b)"},
    {"shopify-private-app-token", "saas", "Shopify private app access token", H, "shppa_",
     R"(\b(shppa_[a-fA-F0-9]{32})\b)"},
    {"shopify-shared-secret", "saas", "Shopify shared secret", H, "shpss_", R"(\b(shpss_[a-fA-F0-9]{32})\b)"},
    {"atlassian-api-token", "saas", "Atlassian API token", H, "ATATT3", R"(\b(ATATT3[A-Za-z0-9_\-=]{180,200}))"},
    {"atlassian-api-token-legacy", "saas", "Atlassian (Jira/Confluence) API token", H, "atlassian,jira,confluence",
     R"((?:atlassian|confluence|jira)[\w.\-]{0,20}(?:token|key))" ASSIGN R"(([A-Za-z0-9]{24})\b)", 3.5, "i"},
    {"datadog-api-key", "saas", "Datadog API key", H, "datadog,dd_api_key",
     R"((?:datadog|dd)_?api_?key)" ASSIGN R"(([a-f0-9]{32})\b)", 3.0, "i"},
    {"datadog-app-key", "saas", "Datadog application key", H, "datadog,dd_app_key",
     R"((?:datadog|dd)_?app(?:lication)?_?key)" ASSIGN R"(([a-f0-9]{40})\b)", 3.0, "i"},
    {"newrelic-user-api-key", "saas", "New Relic user API key", H, "NRAK-", R"(\b(NRAK-[A-Z0-9]{27})\b)"},
    {"newrelic-license-key", "saas", "New Relic license key", H, "NRAL", R"(\b([a-f0-9]{36}NRAL)\b)"},
    {"newrelic-browser-key", "saas", "New Relic browser API key", M, "NRJS-", R"(\b(NRJS-[a-f0-9]{19})\b)"},
    {"newrelic-insert-key", "saas", "New Relic insights insert key", H, "NRII-", R"(\b(NRII-[A-Za-z0-9_\-]{32})\b)"},
    {"terraform-cloud-token", "saas", "HashiCorp Terraform Cloud API token", C, "atlasv1",
     R"(\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70}))"},
    {"vault-service-token", "saas", "HashiCorp Vault service token", C, "hvs.", R"(\b(hvs\.[A-Za-z0-9_\-]{90,120}))"},
    {"vault-batch-token", "saas", "HashiCorp Vault batch token", H, "hvb.", R"(\b(hvb\.[A-Za-z0-9_\-]{138,300}))"},
    {"doppler-token", "saas", "Doppler API token", H, "dp.pt.,dp.st.,dp.sa.",
     R"(\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})\b)"},
    {"openai-api-key", "saas", "OpenAI API key", C, "T3BlbkFJ",
     R"(\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,74}T3BlbkFJ[A-Za-z0-9_\-]{20,74}))"},
    {"anthropic-api-key", "saas", "Anthropic API key", C, "sk-ant-",
     R"(\b(sk-ant-(?:api03|admin01)-[A-Za-z0-9_\-]{93}AA)(?:[^A-Za-z0-9_\-]|$))"},
    {"huggingface-token", "saas", "Hugging Face access token", H, "hf_", R"(\b(hf_[A-Za-z]{34})\b)"},
    {"linear-api-key", "saas", "Linear API key", H, "lin_api_", R"(\b(lin_api_[A-Za-z0-9]{40})\b)"},
    {"postman-api-key", "saas", "Postman API key", H, "PMAK-", R"(\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b)"},
    {"pulumi-token", "saas", "Pulumi access token", H, "pul-", R"(\b(pul-[a-f0-9]{40})\b)"},
    {"grafana-cloud-token", "saas", "Grafana Cloud API token", H, "glc_", R"(\b(glc_[A-Za-z0-9+/]{32,400}={0,2}))"},
    {"grafana-service-account-token", "saas", "Grafana service account token", H, "glsa_",
     R"(\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b)"},
    {"sentry-auth-token", "saas", "Sentry auth token", H, "sntrys_", R"(\b(sntrys_eyJ[A-Za-z0-9+/=_\-]{50,400}))"},
    {"dynatrace-token", "saas", "Dynatrace API token", H, "dt0c01.", R"(\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b)"},
    {"mapbox-secret-token", "saas", "Mapbox secret token", H, "sk.eyJ",
     R"(\b(sk\.eyJ[A-Za-z0-9_\-]{50,300}\.[A-Za-z0-9_\-]{20,100}))"},
    {"okta-api-token", "saas", "Okta API token", H, "okta",
     R"(okta[\w.\-]{0,20}(?:token|key))" ASSIGN R"((00[A-Za-z0-9_\-]{40})\b)", 3.5, "i"},
    {"snyk-token", "saas", "Snyk API token", H, "snyk", R"(snyk[\w.\-]{0,20}(?:token|key))" ASSIGN "(" UUID ")", 0,
     "i"},
    {"hubspot-private-app-token", "saas", "HubSpot private app token", H, "pat-na1-,pat-eu1-",
     R"(\b(pat-(?:na|eu)1-)" UUID R"())"},
    {"prefect-api-key", "saas", "Prefect API key", H, "pnu_", R"(\b(pnu_[A-Za-z0-9]{36})\b)"},
    {"readme-api-key", "saas", "ReadMe API key", M, "rdme_", R"(\b(rdme_[a-z0-9]{70})\b)"},
    {"typeform-token", "saas", "Typeform personal access token", M, "tfp_", R"(\b(tfp_[A-Za-z0-9_\-.=]{59})\b)"},
    {"dropbox-token", "saas", "Dropbox short-lived access token", H, "sl.", R"(\b(sl\.[A-Za-z0-9_\-]{130,152}))"},
    {"frameio-token", "saas", "Frame.io API token", M, "fio-u-", R"(\b(fio-u-[A-Za-z0-9_\-=]{64}))"},

    // --- connection strings and web tokens ---
    {"database-url-password", "database", "Database connection URL with a password", C,
     "postgres,mysql,mongodb,redis,amqp,mssql",
     R"(\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]{2,12})://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9\[])"},
    {"url-credentials", "database", "URL with an embedded password", H, "://",
     R"(\b(?:https?|ftps?|sftp|ssh|git|smb|ldaps?)://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9\[])"},
    {"jwt", "token", "JSON Web Token", M, "eyJ",
     R"(\b(eyJ[A-Za-z0-9_\-]{10,600}\.eyJ[A-Za-z0-9_\-]{10,2000}\.[A-Za-z0-9_\-]{16,700}))"},

    // --- generic assignments (last: anything more specific wins) ---
    {"env-password", "generic", "Password in a *_PASSWORD style variable", H, "PASSWORD,PASSWD,_PWD,_PASS",
     R"((?:PASSWORD|PASSWD|_PWD|_PASS)["']?\s{0,4}[=:]\s{0,4}["']?([^\s"'$`;,(){}<>\[\]\\]{8,128}))", 2.5},
    {"env-secret", "generic", "Secret in a *_SECRET / *_TOKEN / *_KEY style variable", H,
     "SECRET,TOKEN,API_KEY,ACCESS_KEY,PRIVATE_KEY,AUTH_KEY",
     R"((?:SECRET(?:_?KEY)?|TOKEN|API_?KEY|ACCESS_?KEY|AUTH_?KEY|PRIVATE_?KEY|CREDENTIALS?)["']?\s{0,4}[=:]\s{0,4}["']?([A-Za-z0-9_\-+/=.~!@#%^&*]{16,256}))",
     3.5},
};

#undef ASSIGN
#undef PEM_BODY
#undef UUID

std::vector<std::string> SplitKeywords(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<Rule> Build() {
  std::vector<Rule> out;
  for (const Row& r : kRows) {
    Rule rule;
    rule.id = r.id;
    rule.category = r.category;
    rule.title = r.title;
    rule.severity = r.severity;
    rule.keywords = SplitKeywords(r.keywords);
    rule.regex = r.regex;
    rule.min_entropy = r.entropy;
    const std::string_view flags = r.flags;
    rule.caseless = flags.find('i') != std::string_view::npos;
    rule.base64_user_pass = flags.find('b') != std::string_view::npos;
    rule.path = r.path;
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

const std::vector<Rule>& BuiltinRules() {
  static const std::vector<Rule> rules = Build();
  return rules;
}

}  // namespace drydock::secret
