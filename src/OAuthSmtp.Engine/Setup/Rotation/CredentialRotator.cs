using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Provisioning;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>
/// Update-SmtpOAuthCredential: rotates a profile's client secret (or certificate) without an outage. In order: find the
/// app by the profile's client id with the admin's Graph rights (so apps this module did not create work too), add a
/// new credential, PROVE it (a fresh token from Entra ID, retried while Entra ID replicates it, and SMTP AUTH accepted
/// by the profile's server, nothing sent), store it in the profile, and only then, with -RemoveOld and ShouldProcess,
/// remove the profile's old credential. A failed proof changes neither the profile nor the old credential; the
/// unproven new one is taken away again.
/// </summary>
public sealed class CredentialRotator
{
    private readonly CredentialRotationServices _services;
    private readonly CredentialRotationHost _host;

    public CredentialRotator(CredentialRotationServices services, CredentialRotationHost host)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _host = host ?? throw new ArgumentNullException(nameof(host));
    }

    /// <summary>The rotation's result, or null when ShouldProcess declined the new credential (-WhatIf): nothing changed.</summary>
    public CredentialRotationResult? Rotate(CredentialRotationRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var profile = request.Profile;
        var isCertificate = profile.CredentialKind is CredentialKind.CertificateThumbprint or CredentialKind.CertificateFile;
        RequireRotatable(profile);

        var session = _services.Graph.DescribeSession();
        _host.Verbose($"Microsoft Graph: acting as {session}.");
        var app = AppCredentials.Read(_services.Graph, profile.ClientId, cancellationToken) ?? throw ApplicationNotFound(profile, session);
        var enterpriseAppId = AppCredentials.ReadServicePrincipalId(_services.Graph, profile.ClientId, cancellationToken);
        var old = isCertificate ? OldCertificate(request, app) : OldSecret(request, app);
        _host.Verbose(old is null
            ? $"The profile's current {(isCertificate ? "certificate" : "client secret")} is not among the app's {(isCertificate ? app.Certificates.Count : app.Secrets.Count)} (or cannot be told apart): it will be kept."
            : $"The profile's current {(isCertificate ? "certificate" : "client secret")} in the app: {old}.");

        var target = $"app {profile.ClientId} ('{app.DisplayName}')";
        var now = _services.UtcNow();
        var end = now + request.Lifetime;
        var added = isCertificate
            ? CertificateRotation.Add(_services, _host, request, app, target, now, end, cancellationToken)
            : AddSecret(request, app, target, end, cancellationToken);
        if (added is null)
        {
            if (request.RemoveOld && old is not null)
            {
                _host.ShouldProcess(target, $"Remove the old {Kind(isCertificate)} {old} ({RemovalCall(app, old, isCertificate)})");
            }

            return null;
        }

        var candidate = profile.Clone();
        added.ApplyTo(candidate);
        candidate.CredentialKeyId = added.KeyId;
        candidate.CredentialEndsOn = added.EndsOn;
        candidate.EnterpriseAppObjectId = enterpriseAppId ?? profile.EnterpriseAppObjectId;

        string proof;
        try
        {
            proof = Prove(request, candidate, added, cancellationToken);
        }
        catch (OAuthSmtpException failure) when (failure.ErrorId != ErrorIds.OperationStopped)
        {
            TakeBack(app, added, isCertificate, target, cancellationToken);
            throw ProofFailed(profile, failure, old);
        }

        var saved = Store(profile, candidate, added);
        _host.Verbose($"Profile '{saved.Name}' now uses the new {Kind(isCertificate)} (id {added.KeyId}).");

        var result = new CredentialRotationResult
        {
            Profile = saved.Name,
            ClientId = profile.ClientId,
            ApplicationObjectId = app.ObjectId,
            EnterpriseAppObjectId = candidate.EnterpriseAppObjectId,
            CredentialType = isCertificate ? "Certificate" : "ClientSecret",
            NewCredentialId = added.KeyId,
            NewThumbprint = added.Thumbprint,
            NewEndsOn = added.EndsOn,
            Proof = proof,
            OldCredentialId = old?.KeyId,
            OldEndsOn = old?.EndDateTime,
        };

        if (old is null)
        {
            result.Next = request.RemoveOld
                ? $"The profile's previous {Kind(isCertificate)} could not be identified among the app's, so none was removed. Remove it yourself once no product uses it: Entra ID > App registrations > {profile.ClientId} > Certificates & secrets."
                : "Nothing: the app keeps its other credentials.";
            if (request.RemoveOld)
            {
                _host.Warning(result.Next);
            }
        }
        else if (!request.RemoveOld)
        {
            result.Next = $"The old {Kind(isCertificate)} {old} still works. Once nothing else uses it, remove it: Update-SmtpOAuthCredential -RemoveOld removes it at the next rotation, or now: {RemovalCommand(app, old, isCertificate)}";
        }
        else if (_host.ShouldProcess(target, $"Remove the old {Kind(isCertificate)} {old} ({RemovalCall(app, old, isCertificate)})"))
        {
            Remove(app, old, isCertificate, cancellationToken);
            result.OldCredentialRemoved = true;
            result.Next = "Nothing: the old credential is gone and the profile sends with the new one.";
            if (isCertificate)
            {
                ForgetOldPrivateKey(profile, old);
            }
        }
        else
        {
            result.Next = $"The old {Kind(isCertificate)} {old} was kept (not confirmed). Remove it later: {RemovalCommand(app, old, isCertificate)}";
        }

        return result;
    }

    private void RequireRotatable(SmtpOAuthProfile profile)
    {
        switch (profile.CredentialKind)
        {
            case CredentialKind.ClientSecret:
            case CredentialKind.CertificateFile:
                if (profile.SecretProtection == SecretProtection.SecretManagement && _services.SaveVaultSecret is null)
                {
                    throw new OAuthSmtpException(
                        ErrorIds.SecretManagementNotAvailable,
                        ErrorKind.ResourceUnavailable,
                        $"Profile '{profile.Name}' keeps its {(profile.CredentialKind == CredentialKind.ClientSecret ? "secret" : ".pfx password")} in a SecretManagement vault, and Set-Secret is not available to store the new one there.",
                        "Install-Module Microsoft.PowerShell.SecretManagement and register the vault, then run Update-SmtpOAuthCredential again.",
                        profile.Name);
                }

                if (profile.CredentialKind == CredentialKind.CertificateFile && profile.SecretProtection == SecretProtection.None && !_services.CanProtectSecrets)
                {
                    // The new .pfx has a password, and this profile has never stored one: no consent to an unprotected file.
                    throw new OAuthSmtpException(
                        ErrorIds.UnprotectedSecretNotAllowed,
                        ErrorKind.SecurityError,
                        $"Profile '{profile.Name}' uses a .pfx without a password, and the new certificate's .pfx has one that this system cannot encrypt (no DPAPI). Nothing was changed.",
                        $"Store the current .pfx password protected first: Set-SmtpOAuthProfile -Name {profile.Name} -CertificatePassword (Read-Host -AsSecureString) -AllowUnprotectedSecret, or keep it in a vault (-SecretName); then run Update-SmtpOAuthCredential again.",
                        profile.Name);
                }

                return;
            case CredentialKind.CertificateThumbprint:
                return;
            default:
                throw new OAuthSmtpException(
                    ErrorIds.CredentialRotationNotApplicable,
                    ErrorKind.InvalidOperation,
                    profile.IsManagedIdentity
                        ? $"Profile '{profile.Name}' uses a managed identity: Azure issues and rotates its credential, there is nothing to rotate."
                        : $"Profile '{profile.Name}' signs a user in ({profile.CredentialKind}): it holds no client secret or certificate to rotate.",
                    "Nothing to do. Update-SmtpOAuthCredential rotates profiles with a client secret or a certificate.",
                    profile.Name);
        }
    }

    private static AppCredential? OldSecret(CredentialRotationRequest request, AppCredentials app)
    {
        if (request.Profile.CredentialKeyId is { } recorded && app.Secrets.FirstOrDefault(s => string.Equals(s.KeyId, recorded, StringComparison.OrdinalIgnoreCase)) is { } byId)
        {
            return byId;
        }

        // Graph shows a secret's first three characters as its hint: one match identifies the profile's secret.
        var hint = request.CurrentSecret is { Length: >= 3 } secret ? secret.Substring(0, 3) : null;
        var matching = app.Secrets.Where(s => hint is not null && string.Equals(s.HintOrThumbprint, hint, StringComparison.Ordinal)).ToList();
        return matching.Count == 1 ? matching[0] : null;
    }

    private static AppCredential? OldCertificate(CredentialRotationRequest request, AppCredentials app)
    {
        if (request.Profile.CredentialKeyId is { } recorded && app.Certificates.FirstOrDefault(c => string.Equals(c.KeyId, recorded, StringComparison.OrdinalIgnoreCase)) is { } byId)
        {
            return byId;
        }

        var thumbprint = request.CurrentCertificate?.Thumbprint ?? request.Profile.CertificateThumbprint;
        return thumbprint is null
            ? null
            : app.Certificates.FirstOrDefault(c => string.Equals(c.HintOrThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase));
    }

    private NewCredential? AddSecret(CredentialRotationRequest request, AppCredentials app, string target, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var name = $"OAuthSmtp profile {request.Profile.Name} {_services.UtcNow():yyyy-MM-dd}";
        var add = GraphRequest.Post(
            $"applications/{app.ObjectId}/addPassword",
            new Dictionary<string, object> { ["passwordCredential"] = new Dictionary<string, string> { ["displayName"] = name, ["endDateTime"] = end.UtcDateTime.ToString("o", CultureInfo.InvariantCulture) } });
        if (!_host.ShouldProcess(target, $"Add the client secret '{name}', valid until {end:yyyy-MM-dd} ({add})"))
        {
            return null;
        }

        using var created = _services.Graph.Send(add, cancellationToken).EnsureSuccess(add).Json();
        var value = GraphJson.Text(created.RootElement, "secretText");
        var keyId = GraphJson.Text(created.RootElement, "keyId");
        if (string.IsNullOrEmpty(value) || string.IsNullOrEmpty(keyId))
        {
            throw new OAuthSmtpException(
                ErrorIds.GraphRequestFailed,
                ErrorKind.InvalidData,
                $"Graph answered {add} without the new secret's value or id, so it cannot be used.",
                $"Remove the unnamed secret '{name}' under Entra ID > App registrations > {request.Profile.ClientId} > Certificates & secrets, then run Update-SmtpOAuthCredential again.",
                request.Profile.Name);
        }

        _host.Verbose($"Added client secret '{name}' (id {keyId}).");
        return NewCredential.ForSecret(keyId!, value!, GraphJson.Date(created.RootElement, "endDateTime") ?? end);
    }

    /// <summary>A fresh token with the new credential (retried while Entra ID replicates it), then SMTP AUTH with it.</summary>
    private string Prove(CredentialRotationRequest request, SmtpOAuthProfile candidate, NewCredential added, CancellationToken cancellationToken)
    {
        var deadline = _services.UtcNow() + request.ProofTimeout;
        var tries = 0;
        AccessToken token;
        while (true)
        {
            tries++;
            _host.Progress($"Getting a token with the new credential (try {tries})");
            try
            {
                token = Wait(_services.GetToken(added.TokenRequest(candidate), cancellationToken));
                break;
            }
            catch (OAuthSmtpException ex) when (NotYetReplicated(ex.ErrorId) && _services.UtcNow() + request.ProofInterval <= deadline)
            {
                _host.Verbose($"Entra ID does not accept the new credential yet ({ex.ErrorId}): it replicates for up to a few minutes; trying again in {request.ProofInterval.TotalSeconds:0} s.");
                _services.Sleep(request.ProofInterval, cancellationToken);
            }
        }

        _host.Progress($"SMTP AUTH at {candidate.SmtpServer}:{candidate.Port} as {candidate.Mailbox} (nothing is sent)");
        var handshake = Wait(_services.Smtp.HandshakeAsync(candidate.SmtpServer, candidate.Port, candidate.Mailbox, token, cancellationToken));
        return $"Entra ID issued a token with the new credential (try {tries}); {handshake.Server}:{handshake.Port} accepted AUTH XOAUTH2 for {candidate.Mailbox} over {handshake.TlsProtocol}; nothing was sent.";
    }

    private static bool NotYetReplicated(string errorId) =>
        errorId == ErrorIds.TokenInvalidClientSecret || errorId == ErrorIds.TokenCertificateRejected || errorId == ErrorIds.TokenApplicationNotFound;

    private SmtpOAuthProfile Store(SmtpOAuthProfile profile, SmtpOAuthProfile candidate, NewCredential added)
    {
        if (added.Secret is null)
        {
            return _services.Profiles.UpdateProfile(candidate, secret: null);
        }

        if (profile.SecretProtection == SecretProtection.SecretManagement)
        {
            _services.SaveVaultSecret!(profile, added.Secret);
            return _services.Profiles.UpdateProfile(candidate, secret: null);
        }

        using var material = new SecretMaterial(added.Secret, allowUnprotectedStorage: profile.SecretProtection == SecretProtection.Unprotected);
        return _services.Profiles.UpdateProfile(candidate, material);
    }

    /// <summary>The unproven new credential goes again, so a failed rotation leaves the app as it was.</summary>
    private void TakeBack(AppCredentials app, NewCredential added, bool isCertificate, string target, CancellationToken cancellationToken)
    {
        try
        {
            if (isCertificate)
            {
                added.ForgetPrivateKey();
                CertificateRotation.Remove(_services, AppCredentials.Read(_services.Graph, new Guid(app.AppId), cancellationToken) ?? app, added.KeyId, cancellationToken);
            }
            else
            {
                var remove = GraphRequest.Post($"applications/{app.ObjectId}/removePassword", new Dictionary<string, string> { ["keyId"] = added.KeyId });
                _services.Graph.Send(remove, cancellationToken).EnsureSuccess(remove);
            }

            _host.Verbose($"Removed the unproven new {Kind(isCertificate)} (id {added.KeyId}) from {target} again.");
        }
        catch (Exception ex) when (ex is OAuthSmtpException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
        {
            _host.Warning($"The unproven new {Kind(isCertificate)} (id {added.KeyId}) could not be removed from {target}: {ex.Message} Remove it under Certificates & secrets.");
        }
    }

    private void Remove(AppCredentials app, AppCredential old, bool isCertificate, CancellationToken cancellationToken)
    {
        if (isCertificate)
        {
            CertificateRotation.Remove(_services, AppCredentials.Read(_services.Graph, new Guid(app.AppId), cancellationToken) ?? app, old.KeyId, cancellationToken);
            return;
        }

        var remove = GraphRequest.Post($"applications/{app.ObjectId}/removePassword", new Dictionary<string, string> { ["keyId"] = old.KeyId });
        _services.Graph.Send(remove, cancellationToken).EnsureSuccess(remove);
    }

    /// <summary>The old certificate's private key goes too, where this module made it; a failure here only warns (the key is already useless).</summary>
    private void ForgetOldPrivateKey(SmtpOAuthProfile profile, AppCredential old)
    {
        try
        {
            if (CertificateRotation.ForgetOldPrivateKey(_services, profile, old.HintOrThumbprint) is { } removed)
            {
                _host.Verbose($"Removed the old certificate's private key ({removed}).");
            }
        }
        catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
        {
            _host.Warning($"The old certificate's private key could not be removed ({ex.Message}); Entra ID no longer accepts it, delete it yourself.");
        }
    }

    private static string Kind(bool isCertificate) => isCertificate ? "certificate" : "client secret";

    private static string RemovalCall(AppCredentials app, AppCredential old, bool isCertificate) =>
        isCertificate
            ? $"PATCH /v1.0/applications/{app.ObjectId} without key {old.KeyId}"
            : $"POST /v1.0/applications/{app.ObjectId}/removePassword {{keyId: {old.KeyId}}}";

    private static string RemovalCommand(AppCredentials app, AppCredential old, bool isCertificate) =>
        isCertificate
            ? $"Entra ID > App registrations > {app.AppId} > Certificates & secrets > delete the certificate {old.HintOrThumbprint}"
            : $"Remove-MgApplicationPassword -ApplicationId {app.ObjectId} -KeyId {old.KeyId}";

    private T Wait<T>(Task<T> task) => _services.Waiter is { } waiter ? waiter.Wait(task) : task.GetAwaiter().GetResult();

    private static OAuthSmtpException ApplicationNotFound(SmtpOAuthProfile profile, GraphAdminSession session) => new(
        ErrorIds.CredentialApplicationNotFound,
        ErrorKind.ObjectNotFound,
        $"Tenant {session.TenantId ?? "(the Graph session's)"} has no app registration with the client id {profile.ClientId} of profile '{profile.Name}': it belongs to another tenant (a multi-tenant app is rotated by its owner), or the Graph session is signed in to another tenant than the profile's ({profile.TenantId}).",
        $"Connect-MgGraph -TenantId {profile.TenantId} -Scopes Application.ReadWrite.All, then run Update-SmtpOAuthCredential -Profile {profile.Name} again; for another tenant's app ask its owner for a new secret and store it with Set-SmtpOAuthProfile -Name {profile.Name} -ClientSecret (Read-Host -AsSecureString).",
        profile.Name);

    private static OAuthSmtpException ProofFailed(SmtpOAuthProfile profile, OAuthSmtpException failure, AppCredential? old) => new(
        ErrorIds.CredentialProofFailed,
        ErrorKind.AuthenticationError,
        $"The new credential of profile '{profile.Name}' did not prove itself ({failure.ErrorId}: {failure.Message}) The profile still uses its old credential{(old is null ? string.Empty : " " + old)}, which was not removed, and the new one was taken away again.",
        failure.Fix is { Length: > 0 } fix
            ? fix + $" Then run Update-SmtpOAuthCredential -Profile {profile.Name} again; Test-SmtpOAuthSetup -Profile {profile.Name} names every step that is wrong."
            : $"Test-SmtpOAuthSetup -Profile {profile.Name} names the step that is wrong; then run Update-SmtpOAuthCredential -Profile {profile.Name} again.",
        profile.Name,
        failure);
}

/// <summary>The credential just added to the app, before the profile holds it.</summary>
internal sealed class NewCredential
{
    private readonly Action<SmtpOAuthProfile> _apply;
    private readonly Func<SmtpOAuthProfile, TokenRequest> _tokenRequest;

    private NewCredential(string keyId, DateTimeOffset? endsOn, SecureString? secret, string? thumbprint, Action<SmtpOAuthProfile> apply, Func<SmtpOAuthProfile, TokenRequest> tokenRequest)
    {
        KeyId = keyId;
        EndsOn = endsOn;
        Secret = secret;
        Thumbprint = thumbprint;
        _apply = apply;
        _tokenRequest = tokenRequest;
    }

    public string KeyId { get; }

    public DateTimeOffset? EndsOn { get; }

    /// <summary>What the profile store keeps: the new client secret, or the new .pfx's password; null for a store certificate.</summary>
    public SecureString? Secret { get; }

    public string? Thumbprint { get; }

    private Action? _forgetPrivateKey;

    /// <summary>Removes the new certificate's private key again (nothing for a secret, which lives only in memory until stored).</summary>
    public void ForgetPrivateKey() => _forgetPrivateKey?.Invoke();

    /// <summary>Points a profile copy at the new credential (thumbprint or .pfx path); a secret changes no setting.</summary>
    public void ApplyTo(SmtpOAuthProfile profile) => _apply(profile);

    public TokenRequest TokenRequest(SmtpOAuthProfile candidate) => _tokenRequest(candidate);

    public static NewCredential ForSecret(string keyId, string value, DateTimeOffset? endsOn)
    {
        var secure = new NetworkCredential(string.Empty, value).SecurePassword;
        secure.MakeReadOnly();
        return new NewCredential(keyId, endsOn, secure, null, _ => { }, candidate => new TokenRequest(candidate) { Secret = value, ForceRefresh = true });
    }

    /// <param name="forgetPrivateKey">Takes the new private key away again (the .pfx or store entry) when the proof fails.</param>
    public static NewCredential ForCertificate(string keyId, DateTimeOffset? endsOn, string thumbprint, string? pfxPath, string? pfxPassword, Action forgetPrivateKey)
    {
        SecureString? password = pfxPassword is null ? null : new NetworkCredential(string.Empty, pfxPassword).SecurePassword;
        password?.MakeReadOnly();
        return new NewCredential(
            keyId,
            endsOn,
            password,
            thumbprint,
            profile =>
            {
                if (pfxPath is null)
                {
                    profile.CertificateThumbprint = thumbprint;
                }
                else
                {
                    profile.CertificatePath = pfxPath;
                }
            },
            // No certificate object: the proof loads the key the way every later send will (store or .pfx + password).
            candidate => new TokenRequest(candidate) { Secret = pfxPassword, ForceRefresh = true })
        {
            _forgetPrivateKey = forgetPrivateKey,
        };
    }
}
