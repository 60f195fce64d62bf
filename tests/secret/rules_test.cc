// Every built-in secret rule finds a sample of the right shape (made here
// from a seeded generator: never a real key) and reports exactly that value,
// with the evidence redacted; near misses and placeholders are not reported.
#include <gtest/gtest.h>

#include <cstdint>

#include <fmt/format.h>
#include <set>
#include <string>

#include "secret/engine.h"
#include "secret/grammar.h"
#include "secret/rules.h"

namespace drydock::secret {
namespace {

// Deterministic fake values: `set` names a character class.
class Fake {
 public:
  std::string operator()(char set, size_t n) {
    std::string_view chars;
    switch (set) {
      case 'a':
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        break;
      case 'h':
        chars = "0123456789abcdef";
        break;
      case 'H':
        chars = "0123456789ABCDEF";
        break;
      case 'U':
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        break;
      case 'l':
        chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        break;
      case 'L':
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        break;
      case 'b':
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        break;
      case 'd':
        chars = "0123456789";
        break;
      case '2':
        chars = "abcdefghijklmnopqrstuvwxyz234567";
        break;
      case '8':
        chars = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
        break;
      default:
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        break;
    }
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      out += chars[(state_ >> 33) % chars.size()];
    }
    return out;
  }
  // A GitHub/npm-format token: 30 random base62 characters and their CRC32
  // checksum (secret/grammar.h).
  std::string Checksummed(const std::string& prefix) {
    const std::string body = (*this)('a', 30);
    return prefix + body + Base62Checksum(Crc32(body));
  }
  std::string Uuid() {
    return (*this)('h', 8) + "-" + (*this)('h', 4) + "-" + (*this)('h', 4) + "-" + (*this)('h', 4) + "-" +
           (*this)('h', 12);
  }

 private:
  uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

struct Case {
  std::string rule;
  std::string before;
  std::string secret;
  std::string after;
  std::string path = "/app/config";
};

// base64url without padding, as JWT segments are written.
std::string B64Url(std::string_view s) {
  std::string out = Base64Encode(s);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::vector<Case> Positives() {
  Fake f;
  const std::string b64 = f('b', 64);
  std::vector<Case> c = {
      {"ssh-key-in-home", "-----BEGIN OPENSSH PRIVATE KEY-----\n", b64.substr(0, 40),
       b64.substr(40) + "\n-----END OPENSSH PRIVATE KEY-----\n", "/home/dev/.ssh/id_ed25519"},
      {"gcp-service-account-key", R"({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n)",
       b64.substr(0, 40), b64.substr(40) + R"(\n-----END PRIVATE KEY-----\n"})"},
      {"private-key-rsa", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\n",
       b64.substr(0, 40), b64.substr(40) + "\n-----END RSA PRIVATE KEY-----"},
      {"private-key-ec", "-----BEGIN EC PRIVATE KEY-----\n", b64.substr(1, 40), "\n"},
      {"private-key-dsa", "-----BEGIN DSA PRIVATE KEY-----\r\n", b64.substr(2, 40), "\n"},
      {"private-key-openssh", "-----BEGIN OPENSSH PRIVATE KEY-----\n", b64.substr(3, 40), "\n"},
      {"private-key-pkcs8-encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", b64.substr(4, 40), "\n"},
      {"private-key-pkcs8", "-----BEGIN PRIVATE KEY-----\n", b64.substr(5, 40), "\n"},
      {"private-key-pgp", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n", b64.substr(6, 40), "\n"},
      {"private-key-putty",
       "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPublic-Lines: 1\n" + f('b', 60) + "\nPrivate-Lines: 1\n",
       b64.substr(7, 40), "\n"},
      {"age-secret-key", "", "AGE-SECRET-KEY-1" + f('8', 58), "\n"},
      {"aws-access-key-id", "id = ", "AKIA" + f('U', 16), "\n"},
      {"aws-secret-access-key", "aws_secret_access_key = ", f('b', 40), "\n"},
      {"aws-session-token", "aws_session_token=", f('b', 300), "\n"},
      {"aws-mws-key", "mws: ", "amzn.mws." + f.Uuid(), "\n"},
      {"gcp-api-key", "key=", "AIza" + f('x', 35), "\n"},
      {"gcp-oauth-client-secret", "\"client_secret\": \"", "GOCSPX-" + f('x', 28), "\"\n"},
      {"google-oauth-access-token", "Authorization: Bearer ", "ya29." + f('x', 60), "\n"},
      {"azure-storage-connection-string", "DefaultEndpointsProtocol=https;AccountName=acct01;AccountKey=",
       f('b', 86) + "==", ";EndpointSuffix=core.windows.net\n"},
      {"azure-storage-account-key", "AccountKey: ", f('b', 86) + "==", "\n"},
      {"azure-sas-token", "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig=",
       f('a', 43) + "%3D", "\n"},
      {"azure-ad-client-secret", "client_secret=", f('a', 3) + "8Q~" + f('a', 34), "\n"},
      {"digitalocean-pat", "", "dop_v1_" + f('h', 64), "\n"},
      {"digitalocean-oauth-token", "", "doo_v1_" + f('h', 64), "\n"},
      {"digitalocean-refresh-token", "", "dor_v1_" + f('h', 64), "\n"},
      {"alibaba-access-key-id", "", "LTAI" + f('a', 20), "\n"},
      {"alibaba-secret-key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=", f('a', 30), "\n"},
      {"heroku-api-key", "HEROKU_API_KEY=", f.Uuid(), "\n"},
      {"heroku-api-key-v2", "", "HRKU-" + f('x', 60), "\n"},
      {"cloudflare-api-token", "CLOUDFLARE_API_TOKEN=", f('a', 40), "\n"},
      {"ibm-cloud-api-key", "IBM_CLOUD_APIKEY=", f('a', 44), "\n"},
      {"databricks-token", "", "dapi" + f('h', 32), "\n"},
      {"planetscale-token", "", "pscale_tkn_" + f('a', 43), "\n"},
      {"supabase-token", "", "sbp_" + f('h', 40), "\n"},
      {"tailscale-key", "", "tskey-auth-" + f('a', 12) + "-" + f('a', 30), "\n"},
      {"scalingo-token", "", "tk-us-" + f('x', 48), "\n"},
      {"render-api-key", "", "rnd_" + f('a', 32), "\n"},
      {"github-pat", "token: ", f.Checksummed("ghp_"), "\n"},
      {"github-fine-grained-pat", "", "github_pat_" + f('a', 22) + "_" + f('a', 59), "\n"},
      {"github-oauth-token", "", f.Checksummed("gho_"), "\n"},
      {"github-app-token", "", f.Checksummed("ghs_"), "\n"},
      {"github-refresh-token", "", "ghr_" + f('a', 76), "\n"},
      {"gitlab-pat", "", "glpat-" + f('x', 20), "\n"},
      {"gitlab-pipeline-trigger-token", "", "glptt-" + f('h', 40), "\n"},
      {"gitlab-runner-token", "", "glrt-" + f('x', 20), "\n"},
      {"gitlab-deploy-token", "", "gldt-" + f('x', 20), "\n"},
      {"bitbucket-app-password", "", "ATBB" + f('a', 32), "\n"},
      {"bitbucket-client-secret", "BITBUCKET_CLIENT_SECRET=", f('a', 64), "\n"},
      {"azure-devops-pat", "AZURE_DEVOPS_PAT=", f('2', 52), "\n"},
      {"circleci-token", "", "CCIPAT_" + f('a', 22) + "_" + f('h', 40), "\n"},
      {"buildkite-token", "", "bkua_" + f('h', 40), "\n"},
      {"sonarqube-token", "", "sqp_" + f('h', 40), "\n"},
      {"git-credentials", "https://deploy:", f('a', 20), "@git.example.org\n", "/root/.git-credentials"},
      {"netrc-password", "machine api.host.io\nlogin deploy\npassword ", f('a', 18), "\n"},
      {"npm-token", "", f.Checksummed("npm_"), "\n"},
      {"npmrc-auth-token", "//registry.npmjs.org/:_authToken=", f('x', 40), "\n"},
      {"npmrc-auth", "_auth = ", "ZGVwbG95OnM0cDNyNXRyMG5n", "\n"},  // deploy:s4p3r5tr0ng
      {"pypi-token", "", "pypi-AgEIcHlwaS5vcmc" + f('x', 80), "\n"},
      {"rubygems-api-key", "", "rubygems_" + f('h', 48), "\n"},
      {"nuget-api-key", "", "oy2" + f('l', 43), "\n"},
      {"docker-config-auth", R"({"auths": {"registry.io": {"auth": ")", "cm9ib3Q6UXc4clQ1eVp2Tm0y",
       "\"}}}\n"},  // robot:Qw8rT5yZvNm2
      {"dockerhub-pat", "", "dckr_pat_" + f('x', 27), "\n"},
      {"artifactory-api-key", "", "AKCp" + f('a', 69), "\n"},
      {"clojars-token", "", "CLOJARS_" + f('l', 60), "\n"},
      {"slack-bot-token", "", "xoxb-" + f('d', 12) + "-" + f('d', 13) + "-" + f('a', 24), "\n"},
      {"slack-user-token", "", "xoxp-" + f('d', 12) + "-" + f('d', 12) + "-" + f('d', 13) + "-" + f('l', 32), "\n"},
      {"slack-app-token", "", "xapp-1-A" + f('U', 10) + "-" + f('d', 13) + "-" + f('l', 64), "\n"},
      {"slack-webhook", "https://hooks.slack.com/services/", "T" + f('U', 8) + "/B" + f('U', 8) + "/" + f('a', 24),
       "\n"},
      {"discord-webhook", "https://discord.com/api/webhooks/" + f('d', 18) + "/", f('x', 68), "\n"},
      {"discord-bot-token", "DISCORD_BOT_TOKEN=", "M" + f('a', 23) + "." + f('a', 6) + "." + f('x', 27), "\n"},
      {"telegram-bot-token", "bot", f('d', 10) + ":AA" + f('x', 33), "\n"},
      {"teams-webhook", "https://contoso.webhook.office.com/webhookb2/",
       f.Uuid() + "@" + f.Uuid() + "/IncomingWebhook/" + f('l', 32) + "/" + f.Uuid(), "\n"},
      {"twitter-bearer-token", "TWITTER_BEARER_TOKEN=", "AAAAAAAAAAAAAAAAAAAAA" + f('a', 80), "\n"},
      {"facebook-access-token", "", "EAACEdEose0cBA" + f('a', 100), "\n"},
      {"stripe-secret-key", "", "sk_live_" + f('a', 24), "\n"},
      {"stripe-restricted-key", "", "rk_live_" + f('a', 24), "\n"},
      {"stripe-webhook-secret", "", "whsec_" + f('a', 32), "\n"},
      {"square-access-token", "", "sq0atp-" + f('x', 22), "\n"},
      {"square-oauth-access-token", "", "EAAA" + f('x', 60), "\n"},
      {"square-oauth-secret", "", "sq0csp-" + f('x', 43), "\n"},
      {"braintree-access-token", "", "access_token$production$" + f('l', 16) + "$" + f('h', 32), "\n"},
      {"paypal-client-secret", "PAYPAL_CLIENT_SECRET=", f('a', 80), "\n"},
      {"shippo-token", "", "shippo_live_" + f('h', 40), "\n"},
      {"easypost-api-key", "", "EZAK" + f('a', 54), "\n"},
      {"twilio-api-key", "", "SK" + f('h', 32), "\n"},
      {"twilio-auth-token", "TWILIO_AUTH_TOKEN=", f('h', 32), "\n"},
      {"sendgrid-api-key", "", "SG." + f('x', 22) + "." + f('x', 43), "\n"},
      {"mailgun-api-key", "", "key-" + f('h', 32), "\n"},
      {"mailchimp-api-key", "", f('h', 32) + "-us14", "\n"},
      {"shopify-access-token", "", "shpat_" + f('h', 32), "\n"},
      {"shopify-custom-app-token", "", "shpca_" + f('h', 32), "\n"},
      {"shopify-private-app-token", "", "shppa_" + f('h', 32), "\n"},
      {"shopify-shared-secret", "", "shpss_" + f('h', 32), "\n"},
      {"atlassian-api-token", "", "ATATT3" + f('x', 186), "\n"},
      {"atlassian-api-token-legacy", "JIRA_API_TOKEN=", f('a', 24), "\n"},
      {"datadog-api-key", "DD_API_KEY=", f('h', 32), "\n"},
      {"datadog-app-key", "DATADOG_APP_KEY=", f('h', 40), "\n"},
      {"newrelic-user-api-key", "", "NRAK-" + f('U', 27), "\n"},
      {"newrelic-license-key", "", f('h', 36) + "NRAL", "\n"},
      {"newrelic-browser-key", "", "NRJS-" + f('h', 19), "\n"},
      {"newrelic-insert-key", "", "NRII-" + f('x', 32), "\n"},
      {"terraform-cloud-token", "", f('a', 14) + ".atlasv1." + f('x', 67), "\n"},
      {"vault-service-token", "", "hvs." + f('x', 100), "\n"},
      {"vault-batch-token", "", "hvb." + f('x', 150), "\n"},
      {"doppler-token", "", "dp.pt." + f('a', 43), "\n"},
      {"openai-api-key", "", "sk-proj-" + f('x', 40) + "T3BlbkFJ" + f('x', 40), "\n"},
      {"anthropic-api-key", "", "sk-ant-api03-" + f('x', 93) + "AA", "\n"},
      {"huggingface-token", "", "hf_" + f('L', 34), "\n"},
      {"linear-api-key", "", "lin_api_" + f('a', 40), "\n"},
      {"postman-api-key", "", "PMAK-" + f('h', 24) + "-" + f('h', 34), "\n"},
      {"pulumi-token", "", "pul-" + f('h', 40), "\n"},
      {"grafana-cloud-token", "", "glc_" + f('a', 60), "\n"},
      {"grafana-service-account-token", "", "glsa_" + f('a', 32) + "_" + f('h', 8), "\n"},
      {"sentry-auth-token", "", "sntrys_eyJ" + f('a', 80), "\n"},
      {"dynatrace-token", "", "dt0c01." + f('U', 24) + "." + f('U', 64), "\n"},
      {"mapbox-secret-token", "", "sk.eyJ" + f('a', 60) + "." + f('x', 22), "\n"},
      {"okta-api-token", "OKTA_API_TOKEN=", "00" + f('x', 40), "\n"},
      {"snyk-token", "SNYK_TOKEN=", f.Uuid(), "\n"},
      {"hubspot-private-app-token", "", "pat-na1-" + f.Uuid(), "\n"},
      {"prefect-api-key", "", "pnu_" + f('a', 36), "\n"},
      {"readme-api-key", "", "rdme_" + f('l', 70), "\n"},
      {"typeform-token", "", "tfp_" + f('x', 59), "\n"},
      {"dropbox-token", "", "sl." + f('x', 140), "\n"},
      {"frameio-token", "", "fio-u-" + f('x', 64), "\n"},
      {"perplexity-api-key", "", "pplx-" + f('a', 48), "\n"},
      {"notion-api-token", "", "ntn_" + f('d', 11) + f('a', 35), "\n"},
      {"sendinblue-api-key", "", "xkeysib-" + f('h', 64) + "-" + f('a', 16), "\n"},
      {"infracost-api-token", "", "ico-" + f('a', 32), "\n"},
      {"duffel-api-token", "", "duffel_live_" + f('x', 43), "\n"},
      {"adobe-client-secret", "", "p8e-" + f('a', 32), "\n"},
      {"sourcegraph-access-token", "", "sgp_" + f('h', 16) + "_" + f('h', 40), "\n"},
      {"sourcegraph-access-token-local", "", "sgp_local_" + f('h', 40), "\n"},
      {"sourcegraph-access-token-legacy", "", "sgp_" + f('H', 40), "\n"},
      {"harness-access-token", "", "pat." + f('a', 22) + "." + f('a', 24) + "." + f('a', 20), "\n"},
      {"airtable-personal-access-token", "", "pat" + f('a', 14) + "." + f('h', 64), "\n"},
      {"clickhouse-cloud-api-secret", "", "4b1d" + f('a', 38), "\n"},
      {"maxmind-license-key", "", f('a', 6) + "_" + f('a', 29) + "_mmk", "\n"},
      {"aws-bedrock-api-key", "", "ABSK" + f('b', 132), "\n"},
      {"aws-bedrock-api-key-short-term", "", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t" + f('b', 80), "\n"},
      {"cloudflare-origin-ca-key", "", "v1.0-" + f('h', 24) + "-" + f('h', 146), "\n"},
      {"flyio-access-token", "", "fo1_" + f('x', 43), "\n"},
      {"flyio-macaroon-token", "", "fm2_" + f('b', 120), "\n"},
      {"yandex-api-key", "", "AQVN" + f('x', 36), "\n"},
      {"yandex-iam-token", "", "t1." + f('x', 40) + "." + f('x', 86), "\n"},
      {"vault-legacy-token", "VAULT_TOKEN=", "s." + f('a', 24), "\n"},
      {"gitlab-cicd-job-token", "", "glcbt-" + f('a', 2) + "_" + f('x', 20), "\n"},
      {"gitlab-incoming-mail-token", "", "glimt-" + f('x', 25), "\n"},
      {"gitlab-kubernetes-agent-token", "", "glagent-" + f('x', 50), "\n"},
      {"gitlab-feature-flag-client-token", "", "glffct-" + f('x', 20), "\n"},
      {"gitlab-oauth-app-secret", "", "gloas-" + f('x', 64), "\n"},
      {"gitlab-scim-token", "", "glsoat-" + f('x', 20), "\n"},
      {"jfrog-identity-token", "", "cmVmdGtuOjAxOj" + f('a', 60), "\n"},
      {"sidekiq-secret", "BUNDLE_GEMS__CONTRIBSYS__COM=", f('h', 8) + ":" + f('h', 8), "\n"},
      {"slack-legacy-token", "", "xoxs-" + f('d', 12) + "-" + f('d', 12) + "-" + f('d', 12) + "-" + f('h', 64), "\n"},
      {"slack-config-access-token", "", "xoxe.xoxp-1-" + f('U', 164), "\n"},
      {"slack-config-refresh-token", "", "xoxe-1-" + f('U', 146), "\n"},
      {"facebook-page-access-token", "", "EAAM" + f('a', 120), "\n"},
      {"stripe-test-key", "", "sk_test_" + f('a', 30), "\n"},
      {"plaid-access-token", "", "access-sandbox-" + f.Uuid(), "\n"},
      {"onepassword-service-account-token", "", "ops_eyJ" + f('b', 300), "\n"},
      {"onepassword-secret-key", "", "A3-" + f('U', 6) + "-" + f('U', 11) + "-" + f('U', 5) + "-" + f('U', 5) + "-" + f('U', 5), "\n"},
      {"algolia-api-key", "ALGOLIA_ADMIN_KEY=", f('h', 32), "\n"},
      {"zendesk-secret-key", "ZENDESK_API_TOKEN=", f('a', 40), "\n"},
      {"confluent-secret-key", "CONFLUENT_API_SECRET=", f('b', 64), "\n"},
      {"sumologic-access-key", "SUMO_ACCESS_KEY=", f('a', 64), "\n"},
      {"dropbox-long-lived-token", "", f('l', 11) + "AAAAAAAAAA" + f('x', 43), "\n"},
      {"curl-auth-header", "RUN curl -fsS -H \"Authorization: Bearer ", f('a', 40), "\" https://api.host.invalid/\n"},
      {"database-url-password", "DATABASE_URL=postgres://app:", f('a', 16), "@db.internal:5432/app\n"},
      {"url-credentials", "proxy = http://build:", f('a', 16), "@proxy.corp:3128\n"},
      {"jwt", "Authorization: Bearer ", "eyJ" + f('x', 30) + ".eyJ" + f('x', 60) + "." + f('x', 43), "\n"},
      {"env-password", "DB_PASSWORD=", f('a', 14), "\n"},
      {"env-secret", "APP_SECRET_KEY=", f('a', 32), "\n"},
      {"curl-auth-user", "RUN curl -fsSL --user ci-bot:", f('a', 20), " https://artifacts.corp/pkg.tgz -o /tmp/p\n"},
      {"jwt-base64", "TOKEN_B64: ",
       Base64Encode(B64Url(R"({"alg":"RS256","typ":"JWT"})") + "." + B64Url(R"({"sub":"svc-deploy","iat":1700000000})") +
                    "." + f('x', 43)),
       "\n"},
      {"kubernetes-secret-yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ",
       Base64Encode("Vx9-" + f('a', 20)), "\n"},
      {"kubernetes-secret-string-data", "apiVersion: v1\nkind: Secret\nstringData:\n  db-password: ", f('a', 20), "\n"},
      {"openshift-user-token", "", "sha256~" + f('x', 43), "\n"},
      {"cloudflare-global-api-key", "CLOUDFLARE_GLOBAL_API_KEY=", f('h', 37), "\n"},
      {"yandex-aws-access-token", "yandex_secret_key = ", "YC" + f('x', 38), "\n"},
      {"gitlab-pat-routable", "", "glpat-" + f('x', 40) + "." + f('l', 9), "\n"},
      {"gitlab-runner-token-routable", "", "glrt-t1_" + f('x', 40) + "." + f('l', 9), "\n"},
      {"gitlab-feed-token", "", "glft-" + f('x', 20), "\n"},
      {"gitlab-runner-registration-token", "", "GR1348941" + f('x', 20), "\n"},
      {"gitlab-session-cookie", "Cookie: _gitlab_session=", f('l', 32), "\n"},
      {"nuget-config-password", "<add key=\"ClearTextPassword\" value=\"", f('a', 16), "\" />\n"},
      {"slack-legacy-bot-token", "", "xoxb-" + f('d', 10) + "-" + f('a', 22), "\n"},
      {"twitter-api-key", "TWITTER_API_KEY=", f('a', 25), "\n"},
      {"twitter-api-secret", "TWITTER_API_SECRET=", f('a', 50), "\n"},
      {"twitter-access-token", "TWITTER_ACCESS_TOKEN=", "1" + f('d', 17) + "-" + f('a', 30), "\n"},
      {"twitter-access-secret", "TWITTER_ACCESS_TOKEN_SECRET=", f('a', 45), "\n"},
      {"facebook-app-access-token", "token=", "1" + f('d', 15) + "|" + f('h', 32), "\n"},
      {"facebook-app-secret", "FACEBOOK_APP_SECRET=", f('h', 32), "\n"},
      {"shippo-test-token", "", "shippo_test_" + f('h', 40), "\n"},
      {"easypost-test-api-key", "", "EZTK" + f('a', 54), "\n"},
      {"plaid-secret-key", "PLAID_SECRET=", f('l', 30), "\n"},
      {"mailgun-signing-key", "MAILGUN_SIGNING_KEY=", f('h', 32) + "-" + f('h', 8) + "-" + f('h', 8), "\n"},
      {"huggingface-org-token", "", "api_org_" + f('L', 34), "\n"},
      {"linear-client-secret", "LINEAR_CLIENT_SECRET=", f('h', 32), "\n"},
      {"grafana-api-key", "", "eyJrIjoi" + f('a', 80) + "==", "\n"},
      {"sentry-user-token", "", "sntryu_" + f('h', 64), "\n"},
      {"sentry-access-token", "SENTRY_AUTH_TOKEN=", f('h', 64), "\n"},
      {"hubspot-api-key", "HUBSPOT_API_KEY=",
       f('H', 8) + "-" + f('H', 4) + "-" + f('H', 4) + "-" + f('H', 4) + "-" + f('H', 12), "\n"},
  };
  return c;
}

std::shared_ptr<const Engine> Builtin() {
  static auto engine = Engine::Create(Config{});
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return *engine;
}

TEST(SecretRules, AtLeastEightyRulesWithUniqueIdsAndAllFieldsSet) {
  const auto& rules = BuiltinRules();
  EXPECT_GE(rules.size(), 80u);
  std::set<std::string> ids;
  for (const Rule& r : rules) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.keywords.empty()) << r.id;
    EXPECT_EQ(r.regex.empty(), r.check == Rule::Check::kPkcs12File) << r.id;
    EXPECT_NE(r.severity, Severity::kUnknown) << r.id;
  }
}

TEST(SecretRules, EveryRuleHasAPositiveSample) {
  std::set<std::string> sampled;
  for (const Case& c : Positives()) sampled.insert(c.rule);
  for (const Rule& r : BuiltinRules()) {
    // File rules have their own cases (SecretPkcs12).
    if (r.check == Rule::Check::kPkcs12File) continue;
    EXPECT_TRUE(sampled.count(r.id)) << "no sample for " << r.id;
  }
}

TEST(SecretRules, EachSampleIsFoundByItsRuleWithTheExactValue) {
  auto engine = Builtin();
  for (const Case& c : Positives()) {
    const std::string text = "# config\n" + c.before + c.secret + c.after;
    const ScanOutcome out = engine->Scan(text, c.path);
    ASSERT_EQ(out.matches.size(), 1u) << c.rule << ": " << out.matches.size() << " matches in " << text;
    const Match& m = out.matches[0];
    EXPECT_EQ(engine->rules()[m.rule].id, c.rule) << text;
    EXPECT_EQ(m.value, c.secret) << c.rule;
    EXPECT_EQ(m.line, 2 + static_cast<int>(std::count(c.before.begin(), c.before.end(), '\n'))) << c.rule;
    EXPECT_EQ(m.evidence.find(c.secret), std::string::npos) << c.rule << ": " << m.evidence;
    EXPECT_EQ(m.evidence.find(c.secret.substr(0, 5)), std::string::npos) << c.rule << ": " << m.evidence;
    EXPECT_NE(m.evidence.find("****"), std::string::npos) << c.rule << ": " << m.evidence;
  }
}

// A sample cut short by one character is no longer a secret of its rule.
TEST(SecretRules, TruncatedSamplesOfFixedLengthTokensAreNotFound) {
  auto engine = Builtin();
  for (const std::string& text : std::vector<std::string>{
           "ghp_" + std::string(34, 'k') + "Q", "AKIA1234ABCD5678EFG", "glpat-abc", "sk_live_short", "xoxb-123-456-abc",
           "dop_v1_0123", "npm_abcdef", "SG.abc.def", "hf_abcDEF", "AIzaSyShort"}) {
    const ScanOutcome out = engine->Scan("x = " + text + "\n", "/app/x");
    EXPECT_TRUE(out.matches.empty()) << text << " → "
                                     << (out.matches.empty() ? "" : engine->rules()[out.matches[0].rule].id);
  }
}

struct Negative {
  std::string name;
  std::string text;
  std::string path = "/app/settings";
};

TEST(SecretRules, BaitIsNotReported) {
  Fake f;
  const std::vector<Negative> cases = {
      {"uuid", "request_id = " + f.Uuid() + "\n"},
      {"sha256", "sha256:" + f('h', 64) + "\n"},
      {"sha1 commit", "commit " + f('h', 40) + "\n"},
      {"base64 blob", "data: " + f('b', 200) + "\n"},
      {"aws docs example id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"},
      {"aws docs example secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"},
      {"changeme", "DB_PASSWORD=changeme\n"},
      {"changeme long", "DB_PASSWORD=changeme-please-now\n"},
      {"xxxxx", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"},
      {"your-api-key", "API_KEY=your-api-key-goes-here\n"},
      {"shell variable", "DB_PASSWORD=${DB_PASSWORD}\n"},
      {"template", "API_TOKEN={{ .Values.token }}\n"},
      {"low entropy secret", "APP_SECRET=aaaaaaaaaaaaaaaaaaaaaaaa\n"},
      {"password prompt text", "PASSWORD: Enter your password\n"},
      {"public key", "-----BEGIN PUBLIC KEY-----\n" + f('b', 64) + "\n-----END PUBLIC KEY-----\n"},
      {"certificate",
       "-----BEGIN CERTIFICATE-----\n" + f('b', 64) + "\n" + f('b', 64) + "\n-----END CERTIFICATE-----\n"},
      {"ssh public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + f('b', 43) + " dev@host\n"},
      {"jwt.io example",
       "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
       "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n"},
      {"minified js",
       "!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return "
       "e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e,n.c=t,n.d=function(e,t,r){n.o(e,t)||Object."
       "defineProperty(e,t,{enumerable:!0,get:r})};var password=document.getElementById(\"pw\").value;}\n"},
      {"url without password", "https://user@example.org/repo.git\n"},
      {"password from env", "PASSWORD=$(cat /run/secrets/db)\n"},
      {"docker auth without colon", R"({"auths": {"r.io": {"auth": "bm9jb2xvbmhlcmVhdGFsbA=="}}})"},
      {"doc path", "ghp_" + f('a', 36) + "\n", "/usr/share/doc/git/examples.txt"},
      {"vendored test fixture", "ghp_" + f('a', 36) + "\n", "/app/node_modules/octokit/test/fixtures/token.txt"},
      {"dotted code reference", "PASSWD = getpass.getpass_default\nexports.TOKEN = exports.HEADER_STATE\n"},
      {"wasm base64 run of A", "const wasm = 'AGFzbQEAAAABAAAAAAAAAAAAAAAAAAAAAAAA" + f('b', 200) + "'\n"},
      {"documented proxy credentials", "http://proxyuser:proxypass@proxy.example.com:8080/\n"},
      {"favicon file name", "<img src=\"/media/video_box.ico-" + f('h', 32) + ".png\">\n"},
      {"low-entropy sourcegraph token", "SRC_ACCESS_TOKEN=sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa\n"},
      {"go test file", "sk_live_" + f('a', 24) + "\n", "/usr/lib/go/src/net/http/x_test.go"},
  };
  auto engine = Builtin();
  for (const Negative& n : cases) {
    if (engine->PathAllowed(n.path)) continue;
    const ScanOutcome out = engine->Scan(n.text, n.path);
    EXPECT_TRUE(out.matches.empty()) << n.name << " → " << engine->rules()[out.matches[0].rule].id << " "
                                     << out.matches[0].evidence;
  }
  EXPECT_TRUE(engine->PathAllowed("/usr/share/doc/git/examples.txt"));
  EXPECT_FALSE(engine->PathAllowed("/app/.env"));
}

// A four-letter placeholder word counts when written as a word, not when a
// random token happens to spell it (once in ~1,500 random 100-char tokens).
TEST(SecretPlaceholder, ShortWordsCountOnlyWhenWrittenAsWords) {
  for (const char* v : {"sk_test_fake1234567890abcdef", "FAKE_KEY_Q7mZr2LxW9vKp4Tn", "myFakeTokenQ7mZr2LxW9",
                        "fake0Q7mZr2LxW9vKp4TnB8s", "AKIA1234XXXXXXXXXXXX", "TODO-fill-this-in-later",
                        "ghp_xxxxQ7mZr2LxW9vKp4TnB8sYc1HdJ6fGa3Eu", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}) {
    EXPECT_TRUE(IsPlaceholder(v)) << v;
  }
  for (const char* v : {"hvs.zQCPhg9kA23SAfakeEF5_hP5AhHqYeLUiojReZW3eBzUd8DWwWfbuHMk0FkWsjlImoV5",
                        "hvs.XVROr6AZXCeUUdMjdNAWyhsN2PTODOzqucjGOXBu-dHsZUDRaQHqLj0QHyuJa6-b1OLq4",
                        "Q7mZr2fAkEW9vKp4TnB8sYc1HdJ6"}) {
    EXPECT_FALSE(IsPlaceholder(v)) << v;
  }
}

TEST(SecretRules, OverlappingRulesReportOneSecretWithTheMostSpecificRule) {
  auto engine = Builtin();
  Fake f;
  const std::string token = f.Checksummed("ghp_");
  const ScanOutcome out = engine->Scan("GITHUB_TOKEN=" + token + "\n", "/app/.env");
  ASSERT_EQ(out.matches.size(), 1u);
  EXPECT_EQ(engine->rules()[out.matches[0].rule].id, "github-pat");
}

TEST(SecretRules, FindsEverySecretOfAFileWithItsLine) {
  auto engine = Builtin();
  Fake f;
  const std::string a = "AKIA" + f('U', 16), b = f.Checksummed("ghp_"), c = "sk_live_" + f('a', 30);
  const std::string text = "one " + a + "\n\ntwo " + b + "\n" + std::string(10000, '#') + "\nthree " + c + "\n";
  const ScanOutcome out = engine->Scan(text, "/x");
  ASSERT_EQ(out.matches.size(), 3u);
  EXPECT_EQ(out.matches[0].line, 1);
  EXPECT_EQ(out.matches[1].line, 3);
  EXPECT_EQ(out.matches[2].line, 5);
  EXPECT_EQ(out.matches[2].value, c);
}

// A GitHub token whose checksum does not match its body is not a token.
TEST(SecretRules, GitHubAndNpmTokensWithAWrongChecksumAreNotReported) {
  auto engine = Builtin();
  Fake f;
  for (const char* prefix : {"ghp_", "gho_", "ghu_", "ghs_", "npm_"}) {
    std::string token = f.Checksummed(prefix);
    EXPECT_EQ(engine->Scan("x " + token + "\n", "/x").matches.size(), 1u) << token;
    token.back() = token.back() == 'A' ? 'B' : 'A';
    EXPECT_TRUE(engine->Scan("x " + token + "\n", "/x").matches.empty()) << token;
  }
}

// A key with no value does not take the next line as its value.
TEST(SecretRules, AKeyNeverTakesItsValueFromTheNextLine) {
  auto engine = Builtin();
  Fake f;
  const std::string v = f('a', 32);
  const ScanOutcome out = engine->Scan("A_KEY=\nB_API_KEY=" + v + "\nPASSWORD:\n  " + f('a', 12) + "\n", "/app/.env");
  ASSERT_EQ(out.matches.size(), 1u);
  EXPECT_EQ(out.matches[0].value, v);
  EXPECT_EQ(out.matches[0].line, 2);
}

// Tokens one separator apart are each found (a rule's trailing boundary
// class consumes the separator the next token's leading one needs).
TEST(SecretRules, AdjacentTokensAreEachFound) {
  auto engine = Builtin();
  Fake f;
  const std::string a = "AIza" + f('x', 34) + "-", b = "AIza" + f('x', 35);
  const ScanOutcome out = engine->Scan("keys=" + a + "," + b + "\n", "/x");
  ASSERT_EQ(out.matches.size(), 2u);
  EXPECT_EQ(out.matches[0].value, a);
  EXPECT_EQ(out.matches[1].value, b);
}

// Case-insensitive key names in the forms of many languages.
TEST(SecretRules, KeywordContextAcceptsTheAssignmentFormsOfCommonLanguages) {
  auto engine = Builtin();
  Fake f;
  for (const char* form : {"client_secret = \"{}\"", "<password>{}</password>", "var apiToken string = \"{}\"",
                           "token := `{}`", "$password .= '{}';", "DB_PASSWORD ?= {}", "PASSWORD ::= {}",
                           "props.setProperty(\"password\", \"{}\");", "define('API_KEY', '{}');",
                           "  :secret => '{}',", "string Password = @\"{}\";", "ENV APP_TOKEN={} DEBUG=0"}) {
    const std::string v = f('a', 24);
    const std::string text = fmt::format(fmt::runtime(form), v) + "\n";
    const ScanOutcome out = engine->Scan(text, "/app/settings");
    ASSERT_EQ(out.matches.size(), 1u) << text;
    EXPECT_EQ(out.matches[0].value, v) << text;
  }
}

}  // namespace
}  // namespace drydock::secret
