using System;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// Saves the connection profile that Send-SmtpOAuthMessage and Test-SmtpOAuthSetup use: tenant, client id, the
/// credential (the new secret or .pfx password goes into the store's protected secret), mailbox, cloud and any host
/// overrides. A profile that already says all of it is left as it is.
/// </summary>
internal static class ProfileStep
{
    public static void Run(ProvisioningRun run, SmtpOAuthProfile? existing)
    {
        const string step = ProvisioningStepNames.Profile;
        var request = run.Request;
        var store = run.Services.Profiles;
        var desired = Desired(run);
        var newSecret = run.SecretValue is not null && !request.Delegated ? run.SecretValue : run.CertificatePassword;
        if (desired is not null && existing is not null && newSecret is null && Same(existing, desired))
        {
            run.Profile = existing;
            run.Unchanged(step, $"The profile '{request.ProfileName}' holds these settings.");
            return;
        }

        var action = existing is null ? $"Save the connection profile '{request.ProfileName}'" : $"Update the connection profile '{request.ProfileName}'";
        run.Change(step, request.ProfileName, action, new[] { $"{action} in {store.ProfilesPath}" }, () =>
        {
            using var secret = newSecret is null ? null : new SecretMaterial(newSecret.Copy(), request.AllowUnprotectedSecret);
            run.Profile = store.SaveProfile(desired ?? throw new InvalidOperationException("The app's client id is not known."), secret, overwrite: true);
        });
    }

    /// <summary>The profile the run's results call for; null while the client id is not known (-WhatIf of a new app).</summary>
    public static SmtpOAuthProfile? Desired(ProvisioningRun run)
    {
        var request = run.Request;
        if (!Guid.TryParse(run.AppId, out var clientId))
        {
            return null;
        }

        var profile = new SmtpOAuthProfile
        {
            Name = request.ProfileName,
            TenantId = run.TenantId,
            ClientId = clientId,
            Mailbox = run.MailboxAddress,
            Cloud = request.Cloud,
            AllowNonMicrosoftHost = request.AllowNonMicrosoftHost,
        };

        if (request.Delegated)
        {
            profile.CredentialKind = CredentialKind.DeviceCode;
        }
        else if (request.IsManagedIdentity)
        {
            profile.CredentialKind = CredentialKind.UserManagedIdentity;
            profile.ManagedIdentityIdKind = ManagedIdentityIdKind.ClientId;
            profile.ManagedIdentityId = run.AppId;
        }
        else if (request.CredentialType == ProvisioningCredentialType.Certificate)
        {
            if (run.CertificatePath is null)
            {
                profile.CredentialKind = CredentialKind.CertificateThumbprint;
                profile.CertificateThumbprint = run.CertificateThumbprint;
                profile.CertificateStoreLocation = "CurrentUser";
            }
            else
            {
                profile.CredentialKind = CredentialKind.CertificateFile;
                profile.CertificatePath = run.CertificatePath;
            }
        }
        else
        {
            profile.CredentialKind = CredentialKind.ClientSecret;
        }

        var endpoints = CloudEndpoints.For(request.Cloud);
        profile.SmtpServer = request.SmtpServer ?? endpoints.SmtpServer;
        profile.Port = request.Port ?? CloudEndpoints.SmtpPort;
        profile.AuthorityHost = request.AuthorityHost ?? endpoints.AuthorityHost;
        profile.Overrides = (request.SmtpServer is null ? ProfileOverrides.None : ProfileOverrides.SmtpServer)
            | (request.Port is null ? ProfileOverrides.None : ProfileOverrides.Port)
            | (request.AuthorityHost is null ? ProfileOverrides.None : ProfileOverrides.AuthorityHost);
        return profile;
    }

    private static bool Same(SmtpOAuthProfile a, SmtpOAuthProfile b) =>
        string.Equals(a.TenantId, b.TenantId, StringComparison.OrdinalIgnoreCase)
        && a.ClientId == b.ClientId
        && a.CredentialKind == b.CredentialKind
        && string.Equals(a.Mailbox, b.Mailbox, StringComparison.OrdinalIgnoreCase)
        && a.Cloud == b.Cloud
        && string.Equals(a.SmtpServer, b.SmtpServer, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port
        && Uri.Compare(a.AuthorityHost, b.AuthorityHost, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && string.Equals(a.CertificatePath, b.CertificatePath, StringComparison.Ordinal)
        && string.Equals(a.CertificateThumbprint, b.CertificateThumbprint, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.ManagedIdentityId, b.ManagedIdentityId, StringComparison.OrdinalIgnoreCase)
        && a.AllowNonMicrosoftHost == b.AllowNonMicrosoftHost;
}
