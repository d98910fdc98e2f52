using Xunit;

// Hosted PowerShell shares process-wide state (environment variables such as OAUTHSMTP_HOME, HOME, the
// managed-identity variables), so these tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
