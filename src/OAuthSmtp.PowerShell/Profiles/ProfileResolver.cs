using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Profiles;

/// <summary>
/// Turns a -Profile name (or a profile object from the pipeline) into a profile and its secret, for every
/// cmdlet that uses a profile. Secrets kept in a SecretManagement vault are fetched here with Get-Secret, in the
/// caller's session, because only the PowerShell layer can run it. Throws <see cref="OAuthSmtpException"/>
/// (ProfileNotFound, SecretUnreadable, SecretManagementNotAvailable, SecretNotFound, store errors): the caller
/// reports it with WriteEngineError or ThrowEngineError.
/// </summary>
public static class ProfileResolver
{
    /// <summary>The current user's store; honours $env:OAUTHSMTP_HOME as it is now.</summary>
    public static ProfileStore OpenStore() => new();

    public static ResolvedProfile Resolve(PSCmdlet cmdlet, string name)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        var store = OpenStore();
        var profile = store.GetProfile(name);
        NonMicrosoftHostWarning.WarnOnce(cmdlet, profile);
        return new ResolvedProfile(profile, ReadSecret(cmdlet, store, profile));
    }

    /// <summary>For a profile object (from Get-SmtpOAuthProfile); its secret is read from the store by name.</summary>
    public static ResolvedProfile Resolve(PSCmdlet cmdlet, SmtpOAuthProfile profile)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        var store = OpenStore();
        var stored = store.GetProfile(profile.Name);
        NonMicrosoftHostWarning.WarnOnce(cmdlet, stored);
        return new ResolvedProfile(stored, ReadSecret(cmdlet, store, stored));
    }

    private static SecureString? ReadSecret(PSCmdlet cmdlet, ProfileStore store, SmtpOAuthProfile profile) =>
        profile.SecretProtection == SecretProtection.SecretManagement
            ? GetVaultSecret(cmdlet, profile)
            : store.ReadSecret(profile);

    private static SecureString GetVaultSecret(PSCmdlet cmdlet, SmtpOAuthProfile profile)
    {
        var secretName = profile.SecretName ?? string.Empty;
        var where = profile.Vault is null ? "the default vault" : $"vault '{profile.Vault}'";
        if (!IsGetSecretAvailable(cmdlet))
        {
            throw new OAuthSmtpException(
                ErrorIds.SecretManagementNotAvailable,
                ErrorKind.ResourceUnavailable,
                $"Profile '{profile.Name}' keeps its secret '{secretName}' in a SecretManagement vault, and the SecretManagement module (Get-Secret) is not available in this session.",
                "Install-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore; Register-SecretVault -Name SecretStore -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault; then Set-Secret -Name '" + secretName + "'.",
                profile.Name);
        }

        object? value;
        try
        {
            var script = profile.Vault is null
                ? "param($Name) Get-Secret -Name $Name -ErrorAction Stop"
                : "param($Name, $Vault) Get-Secret -Name $Name -Vault $Vault -ErrorAction Stop";
            var results = cmdlet.InvokeCommand.InvokeScript(script, secretName, profile.Vault);
            value = results.Where(r => r is not null).Select(r => r.BaseObject).FirstOrDefault();
        }
        catch (RuntimeException exception)
        {
            throw new OAuthSmtpException(
                ErrorIds.SecretNotFound,
                ErrorKind.ObjectNotFound,
                $"Get-Secret could not return secret '{secretName}' from {where} for profile '{profile.Name}': {exception.Message}",
                $"Check the name with Get-SecretInfo, unlock the vault (Unlock-SecretStore) if it is locked, or store the secret: Set-Secret -Name '{secretName}'" + (profile.Vault is null ? "." : $" -Vault '{profile.Vault}'."),
                profile.Name,
                exception);
        }

        return value switch
        {
            SecureString secure => secure,
            PSCredential credential => credential.Password,
            string plain => ToSecureString(plain),
            _ => throw new OAuthSmtpException(
                ErrorIds.SecretNotFound,
                ErrorKind.InvalidData,
                value is null
                    ? $"Get-Secret returned nothing for secret '{secretName}' in {where} (profile '{profile.Name}')."
                    : $"Secret '{secretName}' in {where} is a {value.GetType().Name}; profile '{profile.Name}' needs a string, SecureString or PSCredential secret.",
                $"Store the client secret or .pfx password as a SecureString: Set-Secret -Name '{secretName}' -SecureStringSecret (Read-Host -AsSecureString).",
                profile.Name),
        };
    }

    private static bool IsGetSecretAvailable(PSCmdlet cmdlet)
    {
        if (cmdlet.HasCommand("Get-Secret"))
        {
            return true;
        }

        try
        {
            cmdlet.InvokeCommand.InvokeScript("Import-Module -Name Microsoft.PowerShell.SecretManagement -ErrorAction Stop");
            return cmdlet.HasCommand("Get-Secret");
        }
        catch (RuntimeException)
        {
            return false;
        }
    }

    private static SecureString ToSecureString(string plain)
    {
        var secure = new SecureString();
        foreach (var character in plain)
        {
            secure.AppendChar(character);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
