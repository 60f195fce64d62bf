#include "secret/rules.h"

#include <cctype>

namespace drydock::secret {

namespace {

constexpr Severity C = Severity::kCritical;
constexpr Severity H = Severity::kHigh;
constexpr Severity M = Severity::kMedium;

// One row per rule. Keywords are comma-separated. Flags: 'i' caseless, and
// the rule's Check: 'b' base64 user:password, 'B' base64 (decoded not a
// placeholder), 'k' Kubernetes Secret data:, 's' Kubernetes Secret
// stringData:, 'p' PKCS#12 file (no pattern; `path` names the files).
struct Row {
  const char* id;
  const char* category;
  const char* title;
  Severity severity;
  const char* keywords;
  const char* regex;
  const char* grammar;  // the token's grammar (secret/grammar.h)
  double entropy = 0;
  const char* flags = "";
  const char* path = "";
};

// The keyword context every keyword-anchored rule shares: what may stand
// between a key and its value, in the assignment forms of shell, Makefile
// (:=, ::=, ?=, +=), Dockerfile (ENV K=v), YAML, TOML, INI, JSON, Java
// properties, Go (`k := v`, `var k string = "v"`, raw strings), PHP (`.=`,
// define('K', 'v')), Python (r"v"), JS, C# (@"v"), Ruby (`:k => 'v'`) and
// setProperty("K", "v"), the value optionally quoted with " ' or `. Blanks are
// spaces and tabs only: a key never takes its value from the next line.
#define ASSIGN_OP                                                                                             \
  R"((?:["'`]?[ \t]{0,4}(?:=>|::=|:=|\.=|\?=|\+=|=|:)|[ \t]{1,4}(?:string|String|str)[ \t]{1,4}=|["'][ \t]{0,4},))" \
  R"([ \t]{0,4}(?:[@rbuf]?["'`])?)"
// A key's tail (`heroku` … `_API_KEY`) and the context, or an XML element
// (<heroku_api_key>v</…>).
#define ASSIGN R"([\w.\-]{0,20}(?:)" ASSIGN_OP R"(|>))"
// The context right after a whole key name (no tail): cheaper to compile.
#define ASSIGN_TIGHT R"((?:)" ASSIGN_OP R"(|>))"
// The key prefix of a private-key PEM block, up to the first 40 body chars.
#define PEM_BODY \
  R"(-----(?:\s|\\n|\\r)*(?:[A-Za-z\-]{1,20}: ?[^\n\\]{0,200}(?:\n|\\n)(?:\s|\\n|\\r)*){0,6}([A-Za-z0-9+/=]{40}))"
// The end of a token whose alphabet is base64url ([A-Za-z0-9_-]): \b would
// need a word character after a token ending in '-'.
#define END_B64URL R"((?:[^A-Za-z0-9_\-]|$))"
// The end of a GitLab token of the legacy form: as END_B64URL, but not a
// '.' before [0-9a-z] (the routable form's ".<crc>" suffix follows there).
#define END_LEGACY_GITLAB R"((?:[^A-Za-z0-9_.\-]|\.(?:[^0-9a-z]|$)|$))"
#define UUID "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

const Row kRows[] = {
    // --- private keys (a key in a home directory is named for where it is) ---
    {"ssh-key-in-home", "private-key", "SSH private key in a home directory", C, "PRIVATE KEY",
     "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sOPENSSH\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sOPENSSH\sPRIVATE\sKEY----- @path=/home/dev/.ssh/id_ed25519)~", 0, "",
     R"(^/(?:root|home/[^/]+)/\.ssh/id_[A-Za-z0-9_]+$)"},
    {"gcp-service-account-key", "cloud", "GCP service account private key", C, "private_key,service_account",
     R"("private_key"\s{0,4}:\s{0,4}"-----BEGIN PRIVATE KEY)" PEM_BODY, R"~(@pre="private_key":\s"-----BEGIN\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sPRIVATE\sKEY-----\n")~"},
    {"private-key-rsa", "private-key", "RSA private key", H, "BEGIN RSA PRIVATE KEY",
     "-----BEGIN RSA PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sRSA\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sRSA\sPRIVATE\sKEY-----)~"},
    {"private-key-ec", "private-key", "EC private key", H, "BEGIN EC PRIVATE KEY",
     "-----BEGIN EC PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sEC\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sEC\sPRIVATE\sKEY-----)~"},
    {"private-key-dsa", "private-key", "DSA private key", H, "BEGIN DSA PRIVATE KEY",
     "-----BEGIN DSA PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sDSA\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sDSA\sPRIVATE\sKEY-----)~"},
    {"private-key-openssh", "private-key", "OpenSSH private key", H, "BEGIN OPENSSH PRIVATE KEY",
     "-----BEGIN OPENSSH PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sOPENSSH\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sOPENSSH\sPRIVATE\sKEY-----)~"},
    {"private-key-pkcs8-encrypted", "private-key", "Encrypted PKCS#8 private key", M, "BEGIN ENCRYPTED PRIVATE KEY",
     "-----BEGIN ENCRYPTED PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sENCRYPTED\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sENCRYPTED\sPRIVATE\sKEY-----)~"},
    {"private-key-pkcs8", "private-key", "PKCS#8 private key", H, "BEGIN PRIVATE KEY",
     "-----BEGIN PRIVATE KEY" PEM_BODY, R"~(@pre=-----BEGIN\sPRIVATE\sKEY-----\n [A-Za-z0-9+/=]{40} @post=\n-----END\sPRIVATE\sKEY-----)~"},
    {"private-key-pgp", "private-key", "PGP private key block", H, "BEGIN PGP PRIVATE KEY BLOCK",
     "-----BEGIN PGP PRIVATE KEY BLOCK" PEM_BODY, R"~(@pre=-----BEGIN\sPGP\sPRIVATE\sKEY\sBLOCK-----\nVersion:\sGnuPG\sv2\n\n [A-Za-z0-9+/=]{40} @post=\n-----END\sPGP\sPRIVATE\sKEY\sBLOCK-----)~"},
    {"private-key-putty", "private-key", "PuTTY private key", H, "PuTTY-User-Key-File,Private-Lines",
     R"(\bPrivate-Lines: \d{1,4}(?:\r?\n|\\r\\n|\\n)([A-Za-z0-9+/=]{40}))", R"~(@pre=Private-Lines:\s1\n [A-Za-z0-9+/=]{40})~"},
    {"age-secret-key", "private-key", "age secret key", H, "AGE-SECRET-KEY-1",
     R"(\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b)", R"~('AGE-SECRET-KEY-1' bech32{58})~"},

    // --- cloud providers ---
    {"aws-access-key-id", "cloud", "AWS access key ID", C, "AKIA,ASIA,ABIA,ACCA",
     R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b)", R"~('AKIA'|'ASIA'|'ABIA'|'ACCA' ualnum{16})~"},
    {"aws-secret-access-key", "cloud", "AWS secret access key", C, "aws_secret_access_key,secret_access_key",
     R"((?i:aws_?secret_?(?:access_?)?key|secret_?access_?key))" ASSIGN R"(([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))", R"~(@key=aws_secret_access_key b64{40})~", 3.5},
    {"aws-session-token", "cloud", "AWS session token", H, "aws_session_token",
     R"((?i:aws_?session_?token))" ASSIGN R"(([A-Za-z0-9/+=]{100,1200}))", R"~(@key=aws_session_token [A-Za-z0-9/+=]{100,1200})~", 4.0},
    {"aws-mws-key", "cloud", "Amazon MWS auth token", H, "amzn.mws", R"(\b(amzn\.mws\.)" UUID R"())", R"~('amzn.mws.' uuid)~"},
    {"gcp-api-key", "cloud", "Google API key", H, "AIza", R"(\b(AIza[0-9A-Za-z_\-]{35}))" END_B64URL, R"~('AIza' b64url{35})~"},
    {"gcp-oauth-client-secret", "cloud", "Google OAuth client secret", H, "GOCSPX-",
     R"(\b(GOCSPX-[0-9A-Za-z_\-]{28}))" END_B64URL, R"~('GOCSPX-' b64url{28})~"},
    {"google-oauth-access-token", "cloud", "Google OAuth access token", H, "ya29.",
     R"(\b(ya29\.[0-9A-Za-z_\-]{30,500}))" END_B64URL, R"~('ya29.' b64url{30,500})~"},
    {"azure-storage-connection-string", "cloud", "Azure storage connection string", C,
     "DefaultEndpointsProtocol,AccountKey",
     R"(DefaultEndpointsProtocol=https?;AccountName=[^;\s]{1,64};AccountKey=([A-Za-z0-9+/]{86}==))", R"~(@pre=DefaultEndpointsProtocol=https;AccountName=acct01;AccountKey= b64{86} '==' @post=;EndpointSuffix=core.windows.net)~"},
    {"azure-storage-account-key", "cloud", "Azure storage account key", C, "AccountKey",
     R"(AccountKey\s{0,4}[=:]\s{0,4}["']?([A-Za-z0-9+/]{86}==))", R"~(@pre=AccountKey= b64{86} '==')~"},
    {"azure-sas-token", "cloud", "Azure shared access signature", H,
     "sig=", R"(\bsv=\d{4}-\d\d-\d\d&[^\s"']{0,300}\bsig=([A-Za-z0-9%+/]{40,100}))", R"~(@pre=https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig= [A-Za-z0-9%+/]{37,97} '%3D')~"},
    {"azure-ad-client-secret", "cloud", "Azure AD client secret", H, "Q~",
     R"((?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$))", R"~([A-Za-z0-9_~.]{3} digit{1} 'Q~' [A-Za-z0-9_~.-]{31,34})~"},
    {"digitalocean-pat", "cloud", "DigitalOcean personal access token", C, "dop_v1_", R"(\b(dop_v1_[a-f0-9]{64})\b)", R"~('dop_v1_' hex{64})~"},
    {"digitalocean-oauth-token", "cloud", "DigitalOcean OAuth token", C, "doo_v1_", R"(\b(doo_v1_[a-f0-9]{64})\b)", R"~('doo_v1_' hex{64})~"},
    {"digitalocean-refresh-token", "cloud", "DigitalOcean refresh token", H, "dor_v1_", R"(\b(dor_v1_[a-f0-9]{64})\b)", R"~('dor_v1_' hex{64})~"},
    {"alibaba-access-key-id", "cloud", "Alibaba Cloud AccessKey ID", H, "LTAI", R"(\b(LTAI[A-Za-z0-9]{12,20})\b)", R"~('LTAI' alnum{12,20})~"},
    {"alibaba-secret-key", "cloud", "Alibaba Cloud AccessKey secret", C, "alibaba,aliyun,alicloud",
     R"((?i:(?:alibaba|aliyun|alicloud)[\w.\-]{0,20}secret))" ASSIGN R"(([A-Za-z0-9]{30})\b)", R"~(@key=alibaba_cloud_access_key_secret alnum{30})~", 3.5},
    {"heroku-api-key", "cloud", "Heroku API key", H, "heroku",
     R"((?i:heroku[\w.\-]{0,20}(?:key|token)))" ASSIGN "(" UUID ")", R"~(@key=heroku_api_key uuid)~"},
    {"heroku-api-key-v2", "cloud", "Heroku API key", H, "HRKU-", R"(\b(HRKU-[A-Za-z0-9_\-]{60}))" END_B64URL, R"~('HRKU-' b64url{60})~"},
    {"cloudflare-api-token", "cloud", "Cloudflare API token", H, "cloudflare",
     R"((?i:cloudflare[\w.\-]{0,20}(?:token|key)))" ASSIGN R"(([A-Za-z0-9_\-]{40}))" END_B64URL, R"~(@key=cloudflare_api_token b64url{40})~", 3.5},
    {"cloudflare-global-api-key", "cloud", "Cloudflare global API key", H, "cloudflare",
     R"((?i:cloudflare[\w.\-]{0,20}(?:key|token)))" ASSIGN R"(([a-f0-9]{37})\b)", R"~(@key=cloudflare_global_api_key hex{37})~", 3.0},
    {"ibm-cloud-api-key", "cloud", "IBM Cloud API key", H, "ibm",
     R"((?i:ibm[\w.\-]{0,20}(?:api_?key|apikey)))" ASSIGN R"(([A-Za-z0-9_\-]{44}))" END_B64URL, R"~(@key=ibm_cloud_apikey b64url{44})~", 3.5},
    {"databricks-token", "cloud", "Databricks API token", H, "dapi", R"(\b(dapi[a-f0-9]{32}(?:-\d)?)\b)", R"~('dapi' hex{32})~"},
    {"planetscale-token", "cloud", "PlanetScale token or password", H, "pscale_",
     R"(\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64})(?:[^A-Za-z0-9_.\-]|$))", R"~('pscale_tkn_'|'pscale_pw_'|'pscale_oauth_' [A-Za-z0-9_.-]{32,64})~"},
    {"supabase-token", "cloud", "Supabase access token", H, "sbp_", R"(\b(sbp_[a-f0-9]{40})\b)", R"~('sbp_' hex{40})~"},
    {"tailscale-key", "cloud", "Tailscale key", H, "tskey-",
     R"(\b(tskey-(?:auth|api|client)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b)", R"~('tskey-auth-'|'tskey-api-'|'tskey-client-' alnum{8,20} '-' alnum{20,40})~"},
    {"scalingo-token", "cloud", "Scalingo API token", H, "tk-us-", R"(\b(tk-us-[A-Za-z0-9_\-]{48}))" END_B64URL, R"~('tk-us-' b64url{48})~"},
    {"render-api-key", "cloud", "Render API key", H, "rnd_", R"(\b(rnd_[A-Za-z0-9]{32})\b)", R"~('rnd_' alnum{32})~"},

    {"aws-bedrock-api-key", "cloud", "Amazon Bedrock long-term API key", C, "ABSK",
     R"(\b(ABSK[A-Za-z0-9+/]{109,269}={0,2})(?:[^A-Za-z0-9+/=]|$))", R"~('ABSK' b64{109,269} [=]{0,2})~"},
    {"aws-bedrock-api-key-short-term", "cloud", "Amazon Bedrock short-term API key", H, "bedrock-api-key-",
     R"(\b(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{20,2000}={0,2})(?:[^A-Za-z0-9+/=]|$))", R"~('bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t' b64{20,600} [=]{0,2})~"},
    {"cloudflare-origin-ca-key", "cloud", "Cloudflare Origin CA key", H, "v1.0-",
     R"(\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b)", R"~('v1.0-' hex{24} '-' hex{146})~"},
    {"flyio-access-token", "cloud", "Fly.io access token", H, "fo1_,fm1a_,fm1r_,fm2_",
     R"(\b(fo1_[A-Za-z0-9_\-]{43}))" END_B64URL, R"~('fo1_' b64url{43})~"},
    {"flyio-macaroon-token", "cloud", "Fly.io macaroon token", H, "fm1a_,fm1r_,fm2_",
     R"(\b((?:fm1[ar]|fm2)_[A-Za-z0-9+/]{100,1000}={0,3})(?:[^A-Za-z0-9+/=]|$))", R"~('fm1a_'|'fm1r_'|'fm2_' b64{100,400} [=]{0,3})~"},
    {"yandex-api-key", "cloud", "Yandex Cloud API key", H, "AQVN",
     R"(\b(AQVN[A-Za-z0-9_\-]{35,38}))" END_B64URL, R"~('AQVN' b64url{35,38})~"},
    {"yandex-iam-token", "cloud", "Yandex Cloud IAM token", H, "t1.",
     R"(\b(t1\.[A-Z0-9a-z_\-]{10,200}={0,2}\.[A-Z0-9a-z_\-]{86}={0,2})(?:[^A-Za-z0-9_\-=.]|$))", R"~('t1.' b64url{10,200} '.' b64url{86})~"},
    {"yandex-aws-access-token", "cloud", "Yandex Cloud AWS-compatible static key secret", H, "yandex",
     R"((?i:yandex[\w.\-]{0,20}(?:secret|key)))" ASSIGN R"((YC[A-Za-z0-9_\-]{38}))" END_B64URL, R"~(@key=yandex_secret_key 'YC' b64url{38})~", 3.5},
    {"vault-legacy-token", "saas", "HashiCorp Vault legacy service token", H, "vault",
     R"((?i:vault_?token))" ASSIGN_TIGHT R"((s\.[A-Za-z0-9]{24})\b)", R"~(@key=VAULT_TOKEN 's.' alnum{24})~"},

    // --- VCS and CI ---
    {"github-pat", "vcs", "GitHub personal access token", C, "ghp_", R"(\b(ghp_[A-Za-z0-9]{36})\b)", R"~('ghp_' alnum{30} crc32b62)~"},
    {"github-fine-grained-pat", "vcs", "GitHub fine-grained personal access token", C, "github_pat_",
     R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)", R"~('github_pat_' alnum{22} '_' alnum{59})~"},
    {"github-oauth-token", "vcs", "GitHub OAuth access token", C, "gho_", R"(\b(gho_[A-Za-z0-9]{36})\b)", R"~('gho_' alnum{30} crc32b62)~"},
    {"github-app-token", "vcs", "GitHub App token", C, "ghu_,ghs_", R"(\b((?:ghu|ghs)_[A-Za-z0-9]{36})\b)", R"~('ghu_'|'ghs_' alnum{30} crc32b62)~"},
    {"github-refresh-token", "vcs", "GitHub refresh token", H, "ghr_", R"(\b(ghr_[A-Za-z0-9]{36,76})\b)", R"~('ghr_' alnum{36,76})~"},
    {"gitlab-pat-routable", "vcs", "GitLab personal access token (routable)", C, "glpat-",
     R"(\b(glpat-[A-Za-z0-9_\-]{27,300}\.[0-9a-z]{9})\b)", R"~('glpat-' b64url{27,300} '.' lalnum{9})~"},
    {"gitlab-pat", "vcs", "GitLab personal access token", C, "glpat-", R"(\b(glpat-[A-Za-z0-9_\-]{20,50}))" END_LEGACY_GITLAB, R"~('glpat-' b64url{20,50})~"},
    {"gitlab-pipeline-trigger-token", "vcs", "GitLab pipeline trigger token", H, "glptt-",
     R"(\b(glptt-[0-9a-f]{40})\b)", R"~('glptt-' hex{40})~"},
    {"gitlab-runner-token-routable", "vcs", "GitLab runner authentication token (routable)", H, "glrt-t",
     R"(\b(glrt-t[0-9]_[A-Za-z0-9_\-]{27,300}\.[0-9a-z]{9})\b)", R"~('glrt-t' digit{1} '_' b64url{27,300} '.' lalnum{9})~"},
    {"gitlab-runner-token", "vcs", "GitLab runner authentication token", H, "glrt-",
     R"(\b(glrt-[A-Za-z0-9_\-]{20,50}))" END_LEGACY_GITLAB, R"~('glrt-' b64url{20,50})~"},
    {"gitlab-deploy-token", "vcs", "GitLab deploy token", H, "gldt-", R"(\b(gldt-[A-Za-z0-9_\-]{20,50}))" END_B64URL, R"~('gldt-' b64url{20,50})~"},
    {"gitlab-cicd-job-token", "vcs", "GitLab CI/CD job token", H, "glcbt-",
     R"(\b(glcbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_\-]{20}))" END_B64URL, R"~('glcbt-' alnum{1,5} '_' b64url{20})~"},
    {"gitlab-incoming-mail-token", "vcs", "GitLab incoming mail token", H, "glimt-",
     R"(\b(glimt-[0-9A-Za-z_\-]{25}))" END_B64URL, R"~('glimt-' b64url{25})~"},
    {"gitlab-kubernetes-agent-token", "vcs", "GitLab Kubernetes agent token", H, "glagent-",
     R"(\b(glagent-[0-9A-Za-z_\-]{50}))" END_B64URL, R"~('glagent-' b64url{50})~"},
    {"gitlab-feature-flag-client-token", "vcs", "GitLab feature flag client token", H, "glffct-",
     R"(\b(glffct-[0-9A-Za-z_\-]{20}))" END_B64URL, R"~('glffct-' b64url{20})~"},
    {"gitlab-oauth-app-secret", "vcs", "GitLab OAuth application secret", H, "gloas-",
     R"(\b(gloas-[0-9A-Za-z_\-]{64}))" END_B64URL, R"~('gloas-' b64url{64})~"},
    {"gitlab-scim-token", "vcs", "GitLab SCIM OAuth token", H, "glsoat-",
     R"(\b(glsoat-[0-9A-Za-z_\-]{20}))" END_B64URL, R"~('glsoat-' b64url{20})~"},
    {"gitlab-feed-token", "vcs", "GitLab feed token", H, "glft-", R"(\b(glft-[A-Za-z0-9_\-]{20}))" END_B64URL, R"~('glft-' b64url{20})~"},
    {"gitlab-runner-registration-token", "vcs", "GitLab runner registration token", H, "GR1348941",
     R"(\b(GR1348941[A-Za-z0-9_\-]{20}))" END_B64URL, R"~('GR1348941' b64url{20})~"},
    {"gitlab-session-cookie", "vcs", "GitLab session cookie", H, "_gitlab_session=",
     R"(_gitlab_session=([0-9a-z]{32})\b)", R"~(@pre=_gitlab_session= lalnum{32})~"},
    {"bitbucket-app-password", "vcs", "Bitbucket app password", H, "ATBB", R"(\b(ATBB[A-Za-z0-9_=.\-]{32})(?:[^A-Za-z0-9_=.\-]|$))", R"~('ATBB' [A-Za-z0-9_=.-]{32})~"},
    {"bitbucket-client-secret", "vcs", "Bitbucket OAuth client secret", H, "bitbucket",
     R"((?i:bitbucket[\w.\-]{0,20}secret))" ASSIGN R"(([A-Za-z0-9=_\-]{64})(?:[^A-Za-z0-9=_\-]|$))", R"~(@key=bitbucket_client_secret [A-Za-z0-9=_-]{64})~", 3.5},
    {"azure-devops-pat", "vcs", "Azure DevOps personal access token", H, "azure,ado,vsts",
     R"((?i:(?:azure_?devops|ado|vsts)[\w.\-]{0,20}(?:pat|token)))" ASSIGN R"(([a-z2-7]{52})\b)", R"~(@key=azure_devops_pat b32{52})~", 3.5},
    {"circleci-token", "ci", "CircleCI personal API token", H, "CCIPAT_",
     R"(\b(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b)", R"~('CCIPAT_' alnum{22} '_' hex{40})~"},
    {"buildkite-token", "ci", "Buildkite agent or API token", H, "bkua_", R"(\b(bkua_[a-f0-9]{40})\b)", R"~('bkua_' hex{40})~"},
    {"sonarqube-token", "ci", "SonarQube token", M, "sqp_,sqa_,squ_", R"(\b(sq[pau]_[a-f0-9]{40})\b)", R"~('sqp_'|'sqa_'|'squ_' hex{40})~"},
    {"git-credentials", "vcs", "Git credential store entry", C, "://",
     R"(\bhttps?://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9])", R"~(@pre=https://deploy: [A-Za-z0-9._~!*+-]{3,128} @post=@git.example.org @path=/root/.git-credentials)~", 0, "", R"((^|/)\.git-credentials$)"},
    {"netrc-password", "vcs", "Password in a .netrc entry", H, "machine,password",
     R"(\bmachine\s{1,8}[^\s]{1,255}\s{1,8}login\s{1,8}[^\s]{1,255}\s{1,8}password\s{1,8}([^\s]{3,255}))", R"~(@pre=machine\sapi.host.io\nlogin\sdeploy\npassword\s [!#%&*+.0-9:=?A-Z^_a-z|~-]{3,255} @only=bare,crlf)~"},

    // --- package registries ---
    {"npm-token", "registry", "npm access token", C, "npm_", R"(\b(npm_[A-Za-z0-9]{36})\b)", R"~('npm_' alnum{30} crc32b62)~"},
    {"npmrc-auth-token", "registry", "npm registry token in .npmrc", H, "_authToken",
     R"(_authToken\s{0,4}=\s{0,4}["']?([A-Za-z0-9_\-.=+/]{20,512}))", R"~(@pre=//registry.npmjs.org/:_authToken= [A-Za-z0-9_.=+/-]{20,512})~", 3.0},
    {"npmrc-auth", "registry", "npm registry basic auth in .npmrc", H, "_auth",
     R"(\b_auth\s{0,4}=\s{0,4}["']?([A-Za-z0-9+/]{8,512}={0,2}))", R"~(@pre=_auth\s=\s userpass64)~", 0, "b"},
    {"pypi-token", "registry", "PyPI upload token", C, "pypi-AgEIcHlwaS5vcmc",
     R"(\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,300}))" END_B64URL, R"~('pypi-AgEIcHlwaS5vcmc' b64url{50,300})~"},
    {"rubygems-api-key", "registry", "RubyGems API key", H, "rubygems_", R"(\b(rubygems_[a-f0-9]{48})\b)", R"~('rubygems_' hex{48})~"},
    {"nuget-api-key", "registry", "NuGet API key", H, "oy2", R"(\b(oy2[a-z0-9]{43})\b)", R"~('oy2' lalnum{43})~"},
    {"nuget-config-password", "registry", "Clear-text password in a NuGet.Config", H, "ClearTextPassword",
     R"~(<add key="(?:ClearText)?Password"[ \t]{1,4}value="([!#%&*+,./0-9:;=?@A-Z^_a-z|~\-]{8,128})"[ \t]{0,4}/>)~",
     R"~(@pre=<add\skey="ClearTextPassword"\svalue=" [!#%&*+,./0-9:;=?@A-Z^_a-z|~-]{8,128} @post="\s/> @only=bare,crlf)~"},
    {"docker-config-auth", "registry", "Registry credentials in a Docker config.json", H, "\"auth\"",
     R"~("auth"\s{0,4}:\s{0,4}"([A-Za-z0-9+/]{6,1024}={0,2})")~", R"~(@pre={"auths":\s{"registry.io":\s{"auth":\s" userpass64 @post="}}})~", 0, "b"},
    {"dockerhub-pat", "registry", "Docker Hub personal access token", H, "dckr_pat_",
     R"(\b(dckr_pat_[A-Za-z0-9_\-]{27}))" END_B64URL, R"~('dckr_pat_' b64url{27})~"},
    {"artifactory-api-key", "registry", "JFrog Artifactory API key", H, "AKCp", R"(\b(AKCp[A-Za-z0-9]{69})\b)", R"~('AKCp' alnum{69})~"},
    {"clojars-token", "registry", "Clojars deploy token", H, "CLOJARS_", R"(\b(CLOJARS_[a-z0-9]{60})\b)", R"~('CLOJARS_' lalnum{60})~"},

    {"jfrog-identity-token", "registry", "JFrog identity or reference token", H, "cmVmdGtuOjAxOj",
     R"(\b(cmVmdGtuOjAxOj[A-Za-z0-9]{50,100}))" R"((?:[^A-Za-z0-9]|$))", R"~('cmVmdGtuOjAxOj' alnum{50,100})~"},
    {"sidekiq-secret", "registry", "Sidekiq Enterprise gem source credentials", H, "contribsys,BUNDLE_ENTERPRISE__CONTRIBSYS__COM,BUNDLE_GEMS__CONTRIBSYS__COM",
     R"((?i:BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM))" ASSIGN R"(([a-f0-9]{8}:[a-f0-9]{8})\b)", R"~(@key=BUNDLE_GEMS__CONTRIBSYS__COM hex{8} ':' hex{8})~"},

    // --- chat ---
    {"slack-bot-token", "chat", "Slack bot token", H, "xoxb-",
     R"(\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b)", R"~('xoxb-' digit{10,13} '-' digit{10,13} '-' alnum{24,34})~"},
    {"slack-legacy-bot-token", "chat", "Slack legacy bot token", H, "xoxb-",
     R"(\b(xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})\b)", R"~('xoxb-' digit{8,14} '-' alnum{18,26})~"},
    {"slack-user-token", "chat", "Slack user token", H, "xoxp-,xoxe-",
     R"(\b(xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9]{28,34})\b)", R"~('xoxp-'|'xoxe-' digit{10,13} '-' digit{10,13} '-' digit{10,13} '-' alnum{28,34})~"},
    {"slack-app-token", "chat", "Slack app-level token", H, "xapp-",
     R"(\b(xapp-\d-[A-Z0-9]{8,12}-\d{10,14}-[a-z0-9]{64})\b)", R"~('xapp-' digit{1} '-' ualnum{8,12} '-' digit{10,14} '-' lalnum{64})~"},
    {"slack-webhook", "chat", "Slack incoming webhook URL", H, "hooks.slack.com",
     R"(https://hooks\.slack\.com/(?:services|workflows)/(T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{24}))", R"~(@pre=https://hooks.slack.com/services/ 'T' ualnum{8,12} '/' 'B' ualnum{8,12} '/' alnum{24})~"},
    {"discord-webhook", "chat", "Discord webhook URL", H, "discord",
     R"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/([A-Za-z0-9_\-]{60,70}))", R"~(@pre=https://discord.com/api/webhooks/123456789012345678/ b64url{60,70})~"},
    {"discord-bot-token", "chat", "Discord bot token", H, "discord",
     R"((?i:discord[\w.\-]{0,20}(?:token|key)))" ASSIGN
     R"(([MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}))", R"~(@key=discord_bot_token 'M'|'N'|'O' b64url{23,25} '.' b64url{6} '.' b64url{27,38})~"},
    {"telegram-bot-token", "chat", "Telegram bot token", H, ":AA",
     R"((?:^|[^0-9])([0-9]{8,10}:AA[A-Za-z0-9_\-]{33})(?:[^A-Za-z0-9_\-]|$))", R"~(digit{8,10} ':AA' b64url{33})~"},
    {"teams-webhook", "chat", "Microsoft Teams incoming webhook URL", H, "webhook.office.com",
     R"(https://[a-z0-9\-]{1,64}\.webhook\.office\.com/webhookb2/([a-z0-9\-]{36}@[a-z0-9\-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9\-]{36}))", R"~(@pre=https://contoso.webhook.office.com/webhookb2/ uuid '@' uuid '/IncomingWebhook/' lalnum{32} '/' uuid)~"},
    {"twitter-bearer-token", "chat", "Twitter/X bearer token", H, "twitter,bearer,AAAAAAAAAAAAAAAAAAAAA",
     R"((?i:twitter|bearer))" ASSIGN
     R"((AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{30,120})(?:[^A-Za-z0-9+/%=]|$))", R"~(@key=twitter_bearer_token 'AAAAAAAAAAAAAAAAAAAAA' [A-Za-z0-9%]{30,120})~"},
    {"twitter-api-key", "chat", "Twitter/X API (consumer) key", H, "twitter",
     R"((?i:twitter[\w.\-]{0,20}(?:api_?key|consumer_?key)))" ASSIGN R"(([A-Za-z0-9]{25})\b)", R"~(@key=twitter_api_key alnum{25})~", 3.5},
    {"twitter-api-secret", "chat", "Twitter/X API (consumer) secret", H, "twitter",
     R"((?i:twitter[\w.\-]{0,20}(?:api_?secret|consumer_?secret)))" ASSIGN R"(([A-Za-z0-9]{50})\b)", R"~(@key=twitter_api_secret alnum{50})~", 3.5},
    {"twitter-access-token", "chat", "Twitter/X access token", H, "twitter",
     R"((?i:twitter[\w.\-]{0,20}access_?token))" ASSIGN R"(([0-9]{15,25}-[A-Za-z0-9]{20,40})\b)", R"~(@key=twitter_access_token digit{15,25} '-' alnum{20,40})~", 3.0},
    {"twitter-access-secret", "chat", "Twitter/X access token secret", H, "twitter",
     R"((?i:twitter[\w.\-]{0,20}access_?(?:token_?)?secret))" ASSIGN R"(([A-Za-z0-9]{45})\b)", R"~(@key=twitter_access_secret alnum{45})~", 3.5},
    {"facebook-access-token", "chat", "Facebook access token", H, "EAACEdEose0cBA",
     R"(\b(EAACEdEose0cBA[0-9A-Za-z]{20,200})\b)", R"~('EAACEdEose0cBA' alnum{20,200})~"},
    {"facebook-app-access-token", "chat", "Facebook app access token", H, "|",
     R"(\b([0-9]{15,16}\|[a-f0-9]{32})\b)", R"~(digit{15,16} '|' hex{32})~"},
    {"facebook-app-secret", "chat", "Facebook app secret", H, "facebook",
     R"((?i:facebook[\w.\-]{0,20}secret))" ASSIGN R"(([a-f0-9]{32})\b)", R"~(@key=facebook_app_secret hex{32})~", 3.0},

    {"slack-legacy-token", "chat", "Slack legacy token", H, "xoxo-,xoxs-,xoxa-,xoxr-",
     R"(\b(xox[osar]-\d{1,13}-\d{1,13}-\d{1,13}-[a-fA-F0-9]{32,64})\b)", R"~('xoxo-'|'xoxs-'|'xoxa-'|'xoxr-' digit{1,13} '-' digit{1,13} '-' digit{1,13} '-' hexi{32,64})~"},
    {"slack-config-access-token", "chat", "Slack configuration access token", H, "xoxe.xoxb-,xoxe.xoxp-",
     R"(\b(xoxe\.xox[bp]-\d-[A-Z0-9]{163,166})\b)", R"~('xoxe.xoxb-'|'xoxe.xoxp-' digit{1} '-' ualnum{163,166})~"},
    {"slack-config-refresh-token", "chat", "Slack configuration refresh token", H, "xoxe-",
     R"(\b(xoxe-\d-[A-Z0-9]{146})\b)", R"~('xoxe-' digit{1} '-' ualnum{146})~"},
    {"facebook-page-access-token", "chat", "Facebook page or app access token", H, "EAAM,EAAC",
     R"(\b(EAA[MC][A-Za-z0-9]{100,300})\b)", R"~('EAAM'|'EAAC' alnum{100,300})~"},

    // --- payments ---
    {"stripe-secret-key", "payment", "Stripe live secret key", C, "sk_live_", R"(\b(sk_live_[A-Za-z0-9]{24,99})\b)", R"~('sk_live_' alnum{24,99})~"},
    {"stripe-restricted-key", "payment", "Stripe live restricted key", H, "rk_live_",
     R"(\b(rk_live_[A-Za-z0-9]{24,99})\b)", R"~('rk_live_' alnum{24,99})~"},
    {"stripe-webhook-secret", "payment", "Stripe webhook signing secret", H, "whsec_",
     R"(\b(whsec_[A-Za-z0-9]{32,64})\b)", R"~('whsec_' alnum{32,64})~"},
    {"square-access-token", "payment", "Square access token", C, "sq0atp-",
     R"(\b(sq0atp-[0-9A-Za-z_\-]{22}))" END_B64URL, R"~('sq0atp-' b64url{22})~"},
    {"square-oauth-access-token", "payment", "Square OAuth access token", C, "EAAA",
     R"(\b(EAAA[A-Za-z0-9_\-]{60}))" END_B64URL, R"~('EAAA' b64url{60})~"},
    {"square-oauth-secret", "payment", "Square OAuth secret", C, "sq0csp-", R"(\b(sq0csp-[0-9A-Za-z_\-]{43}))" END_B64URL, R"~('sq0csp-' b64url{43})~"},
    {"braintree-access-token", "payment", "PayPal Braintree access token", C, "access_token$production$",
     R"(\b(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})\b)", R"~('access_token$production$' lalnum{16} '$' hex{32})~"},
    {"paypal-client-secret", "payment", "PayPal client secret", H, "paypal",
     R"((?i:paypal[\w.\-]{0,20}secret))" ASSIGN R"(([A-Za-z0-9_\-]{80}))" END_B64URL, R"~(@key=paypal_client_secret b64url{80})~", 3.5},
    {"shippo-token", "payment", "Shippo API token", H, "shippo_", R"(\b(shippo_live_[a-f0-9]{40})\b)", R"~('shippo_live_' hex{40})~"},
    {"shippo-test-token", "payment", "Shippo test API token", M, "shippo_test_", R"(\b(shippo_test_[a-f0-9]{40})\b)", R"~('shippo_test_' hex{40})~"},
    {"easypost-api-key", "payment", "EasyPost API key", H, "EZAK", R"(\b(EZAK[A-Za-z0-9]{54})\b)", R"~('EZAK' alnum{54})~"},
    {"easypost-test-api-key", "payment", "EasyPost test API key", M, "EZTK", R"(\b(EZTK[A-Za-z0-9]{54})\b)", R"~('EZTK' alnum{54})~"},

    {"stripe-test-key", "payment", "Stripe test-mode secret or restricted key", M, "sk_test_,rk_test_",
     R"(\b((?:sk|rk)_test_[A-Za-z0-9]{24,99})\b)", R"~('sk_test_'|'rk_test_' alnum{24,99})~"},
    {"plaid-access-token", "payment", "Plaid access token", H, "access-sandbox-,access-development-,access-production-",
     R"(\b(access-(?:sandbox|development|production)-)" UUID R"()\b)", R"~('access-sandbox-'|'access-development-'|'access-production-' uuid)~"},
    {"plaid-secret-key", "payment", "Plaid secret key", H, "plaid",
     R"((?i:plaid[\w.\-]{0,20}secret))" ASSIGN R"(([a-z0-9]{30})\b)", R"~(@key=plaid_secret lalnum{30})~", 3.5},

    // --- SaaS ---
    {"twilio-api-key", "saas", "Twilio API key", H, "SK", R"(\b(SK[0-9a-fA-F]{32})\b)", R"~('SK' hexi{32})~"},
    {"twilio-auth-token", "saas", "Twilio auth token", H, "twilio",
     R"((?i:twilio[\w.\-]{0,20}(?:token|secret)))" ASSIGN R"(([a-f0-9]{32})\b)", R"~(@key=twilio_auth_token hex{32})~", 3.0},
    {"sendgrid-api-key", "saas", "SendGrid API key", H, "SG.", R"(\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}))" END_B64URL, R"~('SG.' b64url{22} '.' b64url{43})~"},
    {"mailgun-api-key", "saas", "Mailgun API key", H, "key-", R"(\b(key-[0-9a-f]{32})\b)", R"~('key-' hex{32})~"},
    {"mailgun-signing-key", "saas", "Mailgun webhook signing key", H, "mailgun",
     R"((?i:mailgun[\w.\-]{0,20}(?:key|secret)))" ASSIGN R"(([a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})\b)", R"~(@key=mailgun_signing_key hex{32} '-' hex{8} '-' hex{8})~"},
    {"mailchimp-api-key", "saas", "Mailchimp API key", H, "-us", R"(\b([0-9a-f]{32}-us[0-9]{1,2})\b)", R"~(hex{32} '-us' digit{1,2})~"},
    {"shopify-access-token", "saas", "Shopify access token", H, "shpat_", R"(\b(shpat_[a-fA-F0-9]{32})\b)", R"~('shpat_' hexi{32})~"},
    {"shopify-custom-app-token", "saas", "Shopify custom app access token", H, "shpca_",
     R"(\b(shpca_[a-fA-F0-9]{32})\b)", R"~('shpca_' hexi{32})~"},
    {"shopify-private-app-token", "saas", "Shopify private app access token", H, "shppa_",
     R"(\b(shppa_[a-fA-F0-9]{32})\b)", R"~('shppa_' hexi{32})~"},
    {"shopify-shared-secret", "saas", "Shopify shared secret", H, "shpss_", R"(\b(shpss_[a-fA-F0-9]{32})\b)", R"~('shpss_' hexi{32})~"},
    {"atlassian-api-token", "saas", "Atlassian API token", H, "ATATT3", R"(\b(ATATT3[A-Za-z0-9_\-=]{180,200})(?:[^A-Za-z0-9_\-=]|$))", R"~('ATATT3' [A-Za-z0-9_=-]{180,200})~"},
    {"atlassian-api-token-legacy", "saas", "Atlassian (Jira/Confluence) API token", H, "atlassian,jira,confluence",
     R"((?i:(?:atlassian|confluence|jira)[\w.\-]{0,20}(?:token|key)))" ASSIGN R"(([A-Za-z0-9]{24})\b)", R"~(@key=jira_api_token alnum{24})~", 3.5},
    {"datadog-api-key", "saas", "Datadog API key", H, "datadog,dd_api_key",
     R"((?i:(?:datadog|dd)_?api_?key))" ASSIGN R"(([a-f0-9]{32})\b)", R"~(@key=dd_api_key hex{32})~", 3.0},
    {"datadog-app-key", "saas", "Datadog application key", H, "datadog,dd_app_key",
     R"((?i:(?:datadog|dd)_?app(?:lication)?_?key))" ASSIGN R"(([a-f0-9]{40})\b)", R"~(@key=datadog_app_key hex{40})~", 3.0},
    {"newrelic-user-api-key", "saas", "New Relic user API key", H, "NRAK-", R"(\b(NRAK-[A-Z0-9]{27})\b)", R"~('NRAK-' ualnum{27})~"},
    {"newrelic-license-key", "saas", "New Relic license key", H, "NRAL", R"(\b([a-f0-9]{36}NRAL)\b)", R"~(hex{36} 'NRAL')~"},
    {"newrelic-browser-key", "saas", "New Relic browser API key", M, "NRJS-", R"(\b(NRJS-[a-f0-9]{19})\b)", R"~('NRJS-' hex{19})~"},
    {"newrelic-insert-key", "saas", "New Relic insights insert key", H, "NRII-", R"(\b(NRII-[A-Za-z0-9_\-]{32}))" END_B64URL, R"~('NRII-' b64url{32})~"},
    {"terraform-cloud-token", "saas", "HashiCorp Terraform Cloud API token", C, "atlasv1",
     R"(\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70})(?:[^A-Za-z0-9_\-=]|$))", R"~(alnum{14} '.atlasv1.' [A-Za-z0-9_=-]{60,70})~"},
    {"vault-service-token", "saas", "HashiCorp Vault service token", C, "hvs.", R"(\b(hvs\.[A-Za-z0-9_\-]{90,120}))" END_B64URL, R"~('hvs.' b64url{90,120})~"},
    {"vault-batch-token", "saas", "HashiCorp Vault batch token", H, "hvb.", R"(\b(hvb\.[A-Za-z0-9_\-]{138,300}))" END_B64URL, R"~('hvb.' b64url{138,300})~"},
    {"doppler-token", "saas", "Doppler API token", H, "dp.pt.,dp.st.,dp.sa.",
     R"(\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})\b)", R"~('dp.pt.'|'dp.st.'|'dp.sa.'|'dp.ct.'|'dp.scim.'|'dp.audit.' alnum{40,44})~"},
    {"openai-api-key", "saas", "OpenAI API key", C, "T3BlbkFJ",
     R"(\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,74}T3BlbkFJ[A-Za-z0-9_\-]{20,74}))" END_B64URL, R"~('sk-'|'sk-proj-'|'sk-svcacct-'|'sk-admin-' b64url{20,74} 'T3BlbkFJ' b64url{20,74})~"},
    {"anthropic-api-key", "saas", "Anthropic API key", C, "sk-ant-",
     R"(\b(sk-ant-(?:api03|admin01)-[A-Za-z0-9_\-]{93}AA)(?:[^A-Za-z0-9_\-]|$))", R"~('sk-ant-api03-'|'sk-ant-admin01-' b64url{93} 'AA')~"},
    {"huggingface-token", "saas", "Hugging Face access token", H, "hf_", R"(\b(hf_[A-Za-z]{34})\b)", R"~('hf_' alpha{34})~"},
    {"huggingface-org-token", "saas", "Hugging Face organization API token", H, "api_org_", R"(\b(api_org_[A-Za-z]{34})\b)", R"~('api_org_' alpha{34})~"},
    {"linear-api-key", "saas", "Linear API key", H, "lin_api_", R"(\b(lin_api_[A-Za-z0-9]{40})\b)", R"~('lin_api_' alnum{40})~"},
    {"linear-client-secret", "saas", "Linear OAuth client secret", H, "linear",
     R"((?i:linear[\w.\-]{0,20}secret))" ASSIGN R"(([a-f0-9]{32})\b)", R"~(@key=linear_client_secret hex{32})~", 3.0},
    {"postman-api-key", "saas", "Postman API key", H, "PMAK-", R"(\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b)", R"~('PMAK-' hex{24} '-' hex{34})~"},
    {"pulumi-token", "saas", "Pulumi access token", H, "pul-", R"(\b(pul-[a-f0-9]{40})\b)", R"~('pul-' hex{40})~"},
    {"grafana-cloud-token", "saas", "Grafana Cloud API token", H, "glc_", R"(\b(glc_[A-Za-z0-9+/]{32,400}={0,2})(?:[^A-Za-z0-9+/=]|$))", R"~('glc_' b64{32,400} [=]{0,2})~"},
    {"grafana-service-account-token", "saas", "Grafana service account token", H, "glsa_",
     R"(\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b)", R"~('glsa_' alnum{32} '_' hexi{8})~"},
    {"grafana-api-key", "saas", "Grafana API key (legacy)", H, "eyJrIjoi",
     R"(\b(eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?:[^A-Za-z0-9+/=]|$))", R"~('eyJrIjoi' alnum{70,400} [=]{0,3})~"},
    {"sentry-auth-token", "saas", "Sentry auth token", H, "sntrys_", R"(\b(sntrys_eyJ[A-Za-z0-9+/=_\-]{50,400})(?:[^A-Za-z0-9+/=_\-]|$))", R"~('sntrys_eyJ' [A-Za-z0-9+/=_-]{50,400})~"},
    {"sentry-user-token", "saas", "Sentry user auth token", H, "sntryu_", R"(\b(sntryu_[a-f0-9]{64})\b)", R"~('sntryu_' hex{64})~"},
    {"sentry-access-token", "saas", "Sentry auth token (legacy)", H, "sentry",
     R"((?i:sentry[\w.\-]{0,20}(?:token|key)))" ASSIGN R"(([a-f0-9]{64})\b)", R"~(@key=sentry_auth_token hex{64})~", 3.0},
    {"dynatrace-token", "saas", "Dynatrace API token", H, "dt0c01.", R"(\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b)", R"~('dt0c01.' ualnum{24} '.' ualnum{64})~"},
    {"mapbox-secret-token", "saas", "Mapbox secret token", H, "sk.eyJ",
     R"(\b(sk\.eyJ[A-Za-z0-9_\-]{50,300}\.[A-Za-z0-9_\-]{20,100}))" END_B64URL, R"~('sk.eyJ' b64url{50,300} '.' b64url{20,100})~"},
    {"okta-api-token", "saas", "Okta API token", H, "okta",
     R"((?i:okta[\w.\-]{0,20}(?:token|key)))" ASSIGN R"((00[A-Za-z0-9_\-]{40}))" END_B64URL, R"~(@key=okta_api_token '00' b64url{40})~", 3.5},
    {"snyk-token", "saas", "Snyk API token", H, "snyk", R"((?i:snyk[\w.\-]{0,20}(?:token|key)))" ASSIGN "(" UUID ")", R"~(@key=snyk_token uuid)~"},
    {"hubspot-private-app-token", "saas", "HubSpot private app token", H, "pat-na1-,pat-eu1-",
     R"(\b(pat-(?:na|eu)1-)" UUID R"())", R"~('pat-na1-'|'pat-eu1-' uuid)~"},
    {"hubspot-api-key", "saas", "HubSpot API key (legacy)", H, "hubspot",
     R"((?i:hubspot[\w.\-]{0,20}(?:key|token)))" ASSIGN R"(([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})\b)", R"~(@key=hubspot_api_key HEX{8} '-' HEX{4} '-' HEX{4} '-' HEX{4} '-' HEX{12})~"},
    {"prefect-api-key", "saas", "Prefect API key", H, "pnu_", R"(\b(pnu_[A-Za-z0-9]{36})\b)", R"~('pnu_' alnum{36})~"},
    {"readme-api-key", "saas", "ReadMe API key", M, "rdme_", R"(\b(rdme_[a-z0-9]{70})\b)", R"~('rdme_' lalnum{70})~"},
    {"typeform-token", "saas", "Typeform personal access token", M, "tfp_", R"(\b(tfp_[A-Za-z0-9_\-.=]{59})(?:[^A-Za-z0-9_\-.=]|$))", R"~('tfp_' [A-Za-z0-9_.=-]{59})~"},
    {"dropbox-token", "saas", "Dropbox short-lived access token", H, "sl.", R"(\b(sl\.[A-Za-z0-9_\-]{130,152}))" END_B64URL, R"~('sl.' b64url{130,152})~"},
    {"frameio-token", "saas", "Frame.io API token", M, "fio-u-", R"(\b(fio-u-[A-Za-z0-9_\-=]{64})(?:[^A-Za-z0-9_\-=]|$))", R"~('fio-u-' [A-Za-z0-9_=-]{64})~"},
    {"perplexity-api-key", "saas", "Perplexity API key", H, "pplx-", R"(\b(pplx-[A-Za-z0-9]{48})\b)", R"~('pplx-' alnum{48})~"},
    {"notion-api-token", "saas", "Notion API token", H, "ntn_", R"(\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b)", R"~('ntn_' digit{11} alnum{35})~"},
    {"sendinblue-api-key", "saas", "Brevo (Sendinblue) API key", H, "xkeysib-", R"(\b(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b)", R"~('xkeysib-' hex{64} '-' alnum{16})~"},
    {"infracost-api-token", "saas", "Infracost API token", H, "ico-", R"((?:^|[^A-Za-z0-9_.\-])(ico-[A-Za-z0-9]{32})\b)", R"~('ico-' alnum{32})~"},
    {"duffel-api-token", "saas", "Duffel API token", H, "duffel_live_,duffel_test_", R"(\b(duffel_(?:live|test)_[A-Za-z0-9_=\-]{43})(?:[^A-Za-z0-9_=\-]|$))", R"~('duffel_live_'|'duffel_test_' [A-Za-z0-9_=-]{43})~"},
    {"adobe-client-secret", "saas", "Adobe OAuth client secret", H, "p8e-", R"(\b(p8e-[A-Za-z0-9]{32})\b)", R"~('p8e-' alnum{32})~"},
    {"sourcegraph-access-token", "saas", "Sourcegraph access token", H, "sgp_", R"(\b(sgp_[a-fA-F0-9]{16}_[a-fA-F0-9]{40})\b)", R"~('sgp_' hexi{16} '_' hexi{40})~", 3.0},
    {"sourcegraph-access-token-local", "saas", "Sourcegraph access token (instance without a license key)", H, "sgp_local_", R"(\b(sgp_local_[a-fA-F0-9]{40})\b)", R"~('sgp_local_' hexi{40})~", 3.0},
    {"sourcegraph-access-token-legacy", "saas", "Sourcegraph access token (legacy form)", H, "sgp_", R"(\b(sgp_[a-fA-F0-9]{40})\b)", R"~('sgp_' hexi{40})~", 3.0},
    {"harness-access-token", "saas", "Harness personal or service account token", H, "pat.,sat.", R"(\b((?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b)", R"~('pat.'|'sat.' b64url{22} '.' alnum{24} '.' alnum{20})~"},
    {"airtable-personal-access-token", "saas", "Airtable personal access token", H, "pat", R"(\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b)", R"~('pat' alnum{14} '.' hex{64})~"},
    {"clickhouse-cloud-api-secret", "saas", "ClickHouse Cloud API secret key", H, "4b1d", R"(\b(4b1d[A-Za-z0-9]{38})\b)", R"~('4b1d' alnum{38})~", 3.0},
    {"maxmind-license-key", "saas", "MaxMind license key", M, "_mmk", R"(\b([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)\b)", R"~(alnum{6} '_' alnum{29} '_mmk')~"},

    {"onepassword-service-account-token", "saas", "1Password service account token", C, "ops_eyJ",
     R"(\b(ops_eyJ[A-Za-z0-9+/]{250,}={0,3})(?:[^A-Za-z0-9+/=]|$))", R"~('ops_eyJ' b64{250,400} [=]{0,3})~"},
    {"onepassword-secret-key", "saas", "1Password account secret key", C, "A3-",
     R"(\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b)", R"~('A3-' ualnum{6} '-' ualnum{11} '-' ualnum{5} '-' ualnum{5} '-' ualnum{5})~"},
    {"algolia-api-key", "saas", "Algolia API key", H, "algolia",
     R"((?i:algolia[\w.\-]{0,20}(?:key|token)))" ASSIGN R"(([a-f0-9]{32})\b)", R"~(@key=ALGOLIA_ADMIN_KEY hex{32})~", 3.0},
    {"zendesk-secret-key", "saas", "Zendesk API token", H, "zendesk",
     R"((?i:zendesk[\w.\-]{0,20}(?:key|token|secret)))" ASSIGN R"(([A-Za-z0-9]{40})\b)", R"~(@key=ZENDESK_API_TOKEN alnum{40})~", 3.5},
    {"confluent-secret-key", "saas", "Confluent Cloud API secret", H, "confluent",
     R"((?i:confluent[\w.\-]{0,20}secret))" ASSIGN R"(([A-Za-z0-9+/]{64})(?:[^A-Za-z0-9+/=]|$))", R"~(@key=CONFLUENT_API_SECRET b64{64})~", 3.5},
    {"sumologic-access-key", "saas", "Sumo Logic access key", H, "sumo",
     R"((?i:sumo[\w.\-]{0,20}(?:key|secret)))" ASSIGN R"(([A-Za-z0-9]{64})\b)", R"~(@key=SUMO_ACCESS_KEY alnum{64})~", 3.5},
    {"dropbox-long-lived-token", "saas", "Dropbox long-lived access token", H, "AAAAAAAAAA",
     R"(\b([a-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=\-]{43})(?:[^A-Za-z0-9_=\-]|$))", R"~(lalnum{11} 'AAAAAAAAAA' [A-Za-z0-9_=-]{43})~"},

    // --- Kubernetes manifests and key stores ---
    // The pattern finds the `kind: Secret` line; the values are read from its
    // manifest (secret/kubernetes.h), in either order of kind and data.
    {"kubernetes-secret-yaml", "kubernetes", "Kubernetes Secret manifest data value", H, "kind: Secret,data",
     R"(^[ \t]{0,32}(?:-[ \t]{1,8})?kind:[ \t]{0,8}(?:Secret|"Secret"|'Secret')[ \t\r]{0,8}(?:#[^\n]{0,200})?$)",
     R"~(@pre=apiVersion:\sv1\nkind:\sSecret\ntype:\sOpaque\ndata:\n\s\spassword:\s base64{6,16384} @post=\n--- @only=bare,crlf)~", 0, "k"},
    {"kubernetes-secret-string-data", "kubernetes", "Kubernetes Secret manifest stringData value", H,
     "kind: Secret,stringData",
     R"(^[ \t]{0,32}(?:-[ \t]{1,8})?kind:[ \t]{0,8}(?:Secret|"Secret"|'Secret')[ \t\r]{0,8}(?:#[^\n]{0,200})?$)",
     R"~(@pre=apiVersion:\sv1\nkind:\sSecret\nstringData:\n\s\sdb-password:\s alnum{1} [!#%&*+,./0-9:;=?@A-Z^_a-z|~-]{7,255} @post=\n--- @only=bare,crlf)~",
     2.5, "s"},
    {"openshift-user-token", "kubernetes", "OpenShift user OAuth token", H, "sha256~",
     R"(\b(sha256~[A-Za-z0-9_\-]{43}))" END_B64URL, R"~('sha256~' b64url{43})~"},
    {"pkcs12-file", "private-key", "PKCS#12 key store file", H, ".p12,.pfx", "", "@file @path=/app/certs/client.p12", 0,
     "p", R"(\.[pP](?:12|[fF][xX])$)"},

    // --- connection strings and web tokens ---
    {"jwt", "token", "JSON Web Token", M, "eyJ",
     R"(\b(eyJ[A-Za-z0-9_\-]{10,600}\.eyJ[A-Za-z0-9_\-]{10,2000}\.[A-Za-z0-9_\-]{16,700}))" END_B64URL, R"~('eyJ' b64url{10,300} '.eyJ' b64url{10,600} '.' b64url{16,350})~"},
    {"jwt-base64", "token", "Base64-encoded JSON Web Token", M, "ZXlK",
     R"(\b(ZXlK[A-Za-z0-9+/]{40,8000}={0,2})(?:[^A-Za-z0-9+/=]|$))", "jwt64", 0, "B"},
    {"database-url-password", "database", "Database connection URL with a password", C,
     "postgres,mysql,mongodb,redis,amqp,mssql",
     R"(\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]{2,12})://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9\[])", R"~(@pre=postgres://app: [A-Za-z0-9._~!*+-]{3,128} @post=@db.internal:5432/app)~"},
    {"url-credentials", "database", "URL with an embedded password", H, "://",
     R"(\b(?:https?|ftps?|sftp|ssh|git|smb|ldaps?)://[^\s:/@"'<>]{1,64}:([^\s@/"'<>]{3,128})@[A-Za-z0-9\[])", R"~(@pre=http://build: [A-Za-z0-9._~!*+-]{3,128} @post=@proxy.corp:3128)~"},
    {"curl-auth-user", "token", "Password in a curl --user option", H, "curl",
     R"(\bcurl\b[^\n]{0,200}?[ \t](?:-u|--user)(?:[ \t]{1,4}|=)["']?[^\s:"'$]{1,64}:([A-Za-z0-9._~!*+\-]{8,128})(?:[^A-Za-z0-9._~!*+\-]|$))",
     R"~(@pre=curl\s-fsS\s-u\sdeploy: [A-Za-z0-9._~!*+-]{8,128} @post=\shttps://api.host.invalid/v1)~", 3.0},
    {"curl-auth-header", "token", "Credential in a curl Authorization header", H, "curl",
     R"(\bcurl\b[^\n]{0,200}?(?:-H|--header)[ \t]{0,4}["']?(?i:authorization):[ \t]{0,4}(?i:bearer|basic|token)[ \t]{1,4}([A-Za-z0-9._~+/\-]{16,512}={0,2})(?:[^A-Za-z0-9._~+/=\-]|$))", R"~(@pre=curl\s-s\s-H\s"Authorization:\sBearer\s [A-Za-z0-9._~+/-]{16,512} @post="\shttps://api.host.invalid/v1)~", 3.0},

    // --- generic assignments (last: anything more specific wins) ---
    {"env-password", "generic", "Password assigned to a *_PASSWORD style key", H, "PASSWORD,PASSWD,_PWD,_PASS",
     R"((?i:PASSWORD|PASSWD|_PWD|_PASS)(?:)" ASSIGN_OP R"(([^\s"'$`;,(){}<>\[\]\\]{8,128})|>([^\s"'$`;,(){}<>\[\]\\]{8,128})</))", R"~(@key=DB_PASSWORD [!#%&*+./0-9:=?@A-Z^_a-z|~-]{8,128})~", 2.5},
    {"env-secret", "generic", "Secret assigned to a *_SECRET / *_TOKEN / *_KEY style key", H,
     "SECRET,TOKEN,API_KEY,ACCESS_KEY,PRIVATE_KEY,AUTH_KEY",
     R"((?i:SECRET(?:_?KEY)?|TOKEN|API_?KEY|ACCESS_?KEY|AUTH_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?:)" ASSIGN_OP
     R"(([A-Za-z0-9_\-+/=.~!@#%^&*]{16,256})|>([A-Za-z0-9_\-+/=.~!@#%^&*]{16,256})</))", R"~(@key=APP_SECRET_KEY [A-Za-z0-9_+/=.~!@#%^&*-]{16,256})~",
     3.5},
};

#undef ASSIGN
#undef ASSIGN_OP
#undef ASSIGN_TIGHT
#undef PEM_BODY
#undef UUID
#undef END_B64URL
#undef END_LEGACY_GITLAB

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

// `(?i:…)` in a built-in pattern: the part (a key name) matched in any case,
// written out as [aA] classes, since ECMAScript has no inline flags and a
// caseless rule would also take an upper-case hex value for a lower-case
// one.
std::string ExpandCaseless(std::string_view re) {
  std::string out;
  for (size_t i = 0; i < re.size();) {
    if (!re.substr(i).starts_with("(?i:")) {
      if (re[i] == '\\' && i + 1 < re.size()) out += re[i++];
      out += re[i++];
      continue;
    }
    out += "(?:";
    i += 4;
    int depth = 1;
    bool in_class = false;
    while (i < re.size() && depth > 0) {
      const char c = re[i];
      if (c == '\\' && i + 1 < re.size()) {
        out += re.substr(i, 2);
        i += 2;
        continue;
      }
      if (in_class) {
        in_class = c != ']';
      } else if (c == '[') {
        in_class = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      } else if (std::isalpha(static_cast<unsigned char>(c))) {
        out += '[';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out += ']';
        ++i;
        continue;
      }
      out += c;
      ++i;
    }
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
    rule.regex = ExpandCaseless(r.regex);
    rule.grammar = r.grammar;
    rule.min_entropy = r.entropy;
    const std::string_view flags = r.flags;
    rule.caseless = flags.find('i') != std::string_view::npos;
    using enum Rule::Check;
    for (const auto& [flag, check] : {std::pair{'b', kBase64UserPass}, std::pair{'B', kBase64},
                                      std::pair{'k', kKubernetesData}, std::pair{'s', kKubernetesStringData},
                                      std::pair{'p', kPkcs12File}}) {
      if (flags.find(flag) != std::string_view::npos) rule.check = check;
    }
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
