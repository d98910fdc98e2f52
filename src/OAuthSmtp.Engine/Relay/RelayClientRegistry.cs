using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Adds, lists and removes the relay's devices. A new device is checked whole (name, ranges, senders, the profile in
/// the relay's profile store) before anything is written; its password is generated here, returned once, and only
/// its verifier is stored.
/// </summary>
public sealed class RelayClientRegistry
{
    private readonly RelayConfigurationStore _store;

    public RelayClientRegistry(RelayConfigurationStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <summary>Iterations for new verifiers (tests lower it; the relay accepts any count from the minimum up).</summary>
    internal int VerifierIterations { get; set; } = RelayCredentialVerifier.DefaultIterations;

    /// <summary>
    /// Checks the request without changing anything (for -WhatIf and before the verifier's slow derivation):
    /// the device as it would be stored, without its credential.
    /// </summary>
    public RelayClient Prepare(RelayClientRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var configuration = _store.Load();
        RelayConfigurationValidator.ValidateClientName(request.Name);
        var mailbox = request.Mailbox;
        if (string.IsNullOrWhiteSpace(request.Profile))
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileNotFound,
                ErrorKind.InvalidArgument,
                $"Device '{request.Name}' needs the profile it sends with.",
                $"Give -Profile <name> of a profile in the relay's profile store ({_store.Resolve(configuration.ProfileStorePath)}).",
                request.Name);
        }

        var profile = ProfileStoreFor(configuration).TryGetProfile(request.Profile!)
            ?? throw new OAuthSmtpException(
                ErrorIds.ProfileNotFound,
                ErrorKind.ObjectNotFound,
                $"The relay's profile store ({_store.Resolve(configuration.ProfileStorePath)}) has no profile named '{request.Profile}'.",
                $"Create it there first: $env:OAUTHSMTP_HOME = '{_store.Resolve(configuration.ProfileStorePath)}'; New-SmtpOAuthProfile -Name '{request.Profile}' ... (a certificate or managed identity suits a service). Then add the device again.",
                request.Profile);

        var client = new RelayClient
        {
            Name = request.Name,
            UserName = request.UserName,
            Credential = request.NoCredential ? null : Placeholder(),
            AllowedSources = request.AllowedSources.ToList(),
            AllowedSenders = request.AllowedSenders.ToList(),
            AllowedRecipientDomains = request.AllowedRecipientDomains.ToList(),
            Profile = profile.Name,
            Mailbox = string.IsNullOrWhiteSpace(mailbox) ? profile.Mailbox : mailbox,
            RewriteFrom = request.RewriteFrom,
            MaxMessageBytes = request.MaxMessageBytes,
            CreatedOn = DateTimeOffset.UtcNow,
        };
        RelayConfigurationValidator.ValidateClient(client, configuration.Limits);
        RefuseDuplicate(configuration, client);
        client.Credential = null;
        return client;
    }

    /// <summary>Adds the device and returns it with its new password (null with <see cref="RelayClientRequest.NoCredential"/>).</summary>
    public NewRelayClient Add(RelayClientRequest request)
    {
        var client = Prepare(request);
        string? password = null;
        if (!request.NoCredential)
        {
            password = RelayPasswordGenerator.Generate();
            client.Credential = RelayCredentialVerifier.Create(password, VerifierIterations);
        }

        _store.Update(configuration =>
        {
            RefuseDuplicate(configuration, client);
            configuration.Clients.Add(client);
            configuration.Clients = configuration.Clients.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        });
        return new NewRelayClient(client, password);
    }

    /// <summary>Devices whose names match a PowerShell wildcard pattern, sorted by name.</summary>
    public IReadOnlyList<RelayClient> Find(string? wildcardPattern = "*")
    {
        var pattern = new ProfileNamePattern(string.IsNullOrEmpty(wildcardPattern) ? "*" : wildcardPattern!);
        return _store.Load().Clients.Where(c => pattern.IsMatch(c.Name!)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The device of this name.</summary>
    /// <exception cref="OAuthSmtpException">RelayClientNotFound.</exception>
    public RelayClient Get(string name) => _store.Load().FindClient(name) ?? throw NotFound(name);

    /// <summary>Removes the device; returns what was removed.</summary>
    public RelayClient Remove(string name)
    {
        RelayClient? removed = null;
        _store.Update(configuration =>
        {
            removed = configuration.FindClient(name) ?? throw NotFound(name);
            configuration.Clients.Remove(removed);
        });
        return removed!;
    }

    private ProfileStore ProfileStoreFor(RelayConfiguration configuration) => new(_store.Resolve(configuration.ProfileStorePath));

    private static void RefuseDuplicate(RelayConfiguration configuration, RelayClient client)
    {
        var sameName = configuration.FindClient(client.Name);
        if (sameName is not null)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayClientAlreadyExists,
                ErrorKind.ResourceExists,
                $"A device named '{sameName.Name}' already exists.",
                $"Choose another name, or remove it first: Remove-SmtpOAuthRelayClient '{sameName.Name}'.",
                client.Name);
        }

        var sameUser = client.Credential is null ? null : configuration.FindByUserName(client.UserName);
        if (sameUser is not null)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayClientAlreadyExists,
                ErrorKind.ResourceExists,
                $"Device '{sameUser.Name}' already logs in with the user name '{client.UserName}'.",
                "Give this device another -UserName (or leave it out to use the device name).",
                client.Name);
        }
    }

    /// <summary>A well-formed verifier for checking the rest of a device before the real one is derived.</summary>
    private static RelayCredentialVerifier Placeholder() => new()
    {
        Algorithm = RelayCredentialVerifier.Pbkdf2Sha256Algorithm,
        Iterations = RelayCredentialVerifier.MinimumIterations,
        Salt = Convert.ToBase64String(new byte[RelayCredentialVerifier.SaltBytes]),
        Hash = Convert.ToBase64String(new byte[RelayCredentialVerifier.HashBytes]),
    };

    private static OAuthSmtpException NotFound(string? name) => new(
        ErrorIds.RelayClientNotFound,
        ErrorKind.ObjectNotFound,
        $"The relay has no device named '{name}'.",
        "List the devices with Get-SmtpOAuthRelayClient.",
        name);
}
