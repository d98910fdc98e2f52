namespace OAuthSmtp.Engine.Profiles;

/// <summary>A short, secret-free description of where a saved profile's secret lives, for -Verbose.</summary>
public static class ProfileSecretDescription
{
    public static string Describe(SmtpOAuthProfile profile) => profile?.SecretProtection switch
    {
        SecretProtection.Dpapi => "secret encrypted with DPAPI for the current user",
        SecretProtection.SecretManagement => $"secret '{profile.SecretName}' resolved from SecretManagement " + (profile.Vault is null ? "(default vault)" : $"vault '{profile.Vault}'"),
        SecretProtection.Unprotected => "secret stored unencrypted in a file only the current user can read (-AllowUnprotectedSecret)",
        _ => "no stored secret",
    };
}
