using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The relay's rules, checked before anything is saved and again on every read (relay.json may have been edited by
/// hand): listeners off loopback only with a source allow-list, ranges in CIDR, limits in range, devices with valid
/// names, unique user names, usable verifiers, senders and domains. Normalizes as it goes (trimmed text, canonical
/// ranges, lower-case domains). Throws <see cref="OAuthSmtpException"/> naming the value and the fix.
/// </summary>
public static class RelayConfigurationValidator
{
    public const int MaxClientNameLength = 64;

    private static readonly Regex ClientName = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);

    private static readonly Regex DomainName = new(
        @"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex Thumbprint = new("^[0-9A-F]{40}$", RegexOptions.CultureInvariant);

    public static void Validate(RelayConfiguration configuration)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        configuration.Listeners ??= new List<RelayListener>();
        configuration.Tls ??= new RelayTlsSettings();
        configuration.CleartextAuthRanges = NormalizeRanges(configuration.CleartextAuthRanges);
        configuration.Limits ??= new RelayLimits();
        configuration.Clients ??= new List<RelayClient>();

        ValidateListeners(configuration.Listeners);
        ValidateTls(configuration.Tls);
        ValidateLimits(configuration.Limits);
        configuration.SpoolPath = RequirePath(configuration.SpoolPath, "SpoolPath");
        configuration.LogPath = RequirePath(configuration.LogPath, "LogPath");
        configuration.StatusPath = RequirePath(configuration.StatusPath, "StatusPath");
        configuration.ProfileStorePath = RequirePath(configuration.ProfileStorePath, "ProfileStorePath");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var userNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var client in configuration.Clients)
        {
            if (client is null)
            {
                throw Invalid(ErrorIds.InvalidRelayClientName, "A device entry in relay.json is empty.", "Remove the empty entry from 'clients'.", null);
            }

            ValidateClient(client, configuration.Limits);
            if (!names.Add(client.Name!))
            {
                throw AlreadyExists($"Two devices are named '{client.Name}'.", client.Name!);
            }

            if (client.Credential is not null && !userNames.Add(client.UserName!))
            {
                throw AlreadyExists($"Two devices log in with the user name '{client.UserName}'.", client.Name!);
            }
        }
    }

    /// <summary>Checks and normalizes one device (on its own, before it joins a configuration).</summary>
    public static void ValidateClient(RelayClient client, RelayLimits limits)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        ValidateClientName(client.Name);
        client.UserName = string.IsNullOrWhiteSpace(client.UserName) ? client.Name : client.UserName!.Trim();
        if (client.UserName!.Length > 256 || client.UserName.Any(char.IsControl))
        {
            throw Invalid(ErrorIds.InvalidRelayClientName, $"The user name of device '{client.Name}' is longer than 256 characters or has control characters.", "Leave -UserName out to use the device name.", client.Name);
        }

        client.AllowedSources = NormalizeRanges(client.AllowedSources);
        if (client.Credential is null)
        {
            if (client.AllowedSources.Count == 0 || client.AllowedSources.Any(r => AddressRange.Parse(r).IsEverything))
            {
                throw Invalid(
                    ErrorIds.RelayListenerNotRestricted,
                    $"Device '{client.Name}' has no credential, so it is known only by its source address, and it has no allow-list that names one.",
                    $"Give the device's address or network: -AllowedSource 192.168.10.25 (or remove -NoCredential so the device logs in).",
                    client.Name);
            }
        }
        else
        {
            var problem = client.Credential.Problem();
            if (problem is not null)
            {
                throw Invalid(
                    ErrorIds.InvalidRelayCredential,
                    $"The stored credential of device '{client.Name}' cannot be used: {problem}.",
                    $"Give the device a new credential: Remove-SmtpOAuthRelayClient '{client.Name}', then Add-SmtpOAuthRelayClient again.",
                    client.Name);
            }
        }

        try
        {
            ProfileValidator.ValidateName(client.Profile);
        }
        catch (OAuthSmtpException invalid)
        {
            throw Invalid(invalid.ErrorId, $"Device '{client.Name}': {invalid.Message}", "Give the name of a profile in the relay's profile store with -Profile.", client.Name);
        }

        client.Mailbox = client.Mailbox?.Trim();
        if (!ProfileValidator.IsSmtpAddress(client.Mailbox))
        {
            throw Invalid(ErrorIds.InvalidMailbox, $"Device '{client.Name}' sends as '{client.Mailbox}', which is not an SMTP address.", "Give the sending mailbox with -Mailbox scanner@contoso.com, or leave it out to use the profile's mailbox.", client.Name);
        }

        client.AllowedSenders = (client.AllowedSenders ?? new List<string>()).Select(s => (s ?? string.Empty).Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var sender in client.AllowedSenders)
        {
            var isDomainPattern = sender.StartsWith("*@", StringComparison.Ordinal) && DomainName.IsMatch(sender.Substring(2));
            if (!isDomainPattern && !ProfileValidator.IsSmtpAddress(sender))
            {
                throw Invalid(ErrorIds.InvalidRelaySender, $"The allowed sender '{sender}' of device '{client.Name}' is neither an SMTP address nor '*@domain'.", "Give addresses such as scanner@contoso.com, or *@contoso.com for any address of the domain.", sender);
            }
        }

        if (client.AllowedSenders.Count == 0)
        {
            client.AllowedSenders.Add(client.Mailbox!);
        }

        client.AllowedRecipientDomains = (client.AllowedRecipientDomains ?? new List<string>()).Select(d => (d ?? string.Empty).Trim().TrimStart('@').ToLowerInvariant()).Distinct().ToList();
        foreach (var domain in client.AllowedRecipientDomains)
        {
            if (!DomainName.IsMatch(domain))
            {
                throw Invalid(ErrorIds.InvalidRelayRecipientDomain, $"The allowed recipient domain '{domain}' of device '{client.Name}' is not a domain name.", "Give domain names such as contoso.com.", domain);
            }
        }

        if (client.MaxMessageBytes is not null && (client.MaxMessageBytes < RelayLimits.MaxMessageBytesFloor || client.MaxMessageBytes > limits.MaxMessageBytes))
        {
            throw Invalid(ErrorIds.InvalidRelayLimit, $"Device '{client.Name}' has a message size limit of {client.MaxMessageBytes} bytes; it must be from {RelayLimits.MaxMessageBytesFloor} bytes to the relay's limit, {limits.MaxMessageBytes} bytes.", "Give -MaxMessageSize within the relay's limit (for example 10MB), or leave it out.", client.Name);
        }
    }

    public static void ValidateClientName(string? name)
    {
        if (name is null || !ClientName.IsMatch(name))
        {
            throw Invalid(
                ErrorIds.InvalidRelayClientName,
                $"The device name '{name}' is not valid: it must be 1 to {MaxClientNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit.",
                "Give a plain name such as -Name 'Printer-2OG'.",
                name);
        }
    }

    private static void ValidateListeners(List<RelayListener> listeners)
    {
        if (listeners.Count == 0)
        {
            throw Invalid(ErrorIds.InvalidRelayListener, "The relay has no listen endpoint.", "Install-SmtpOAuthRelay -Force sets the default (127.0.0.1 and ::1, port 587).", null);
        }

        var endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var listener in listeners)
        {
            if (listener is null || !IPAddress.TryParse(listener.Address?.Trim(), out var address) || listener.Address!.IndexOf('%') >= 0)
            {
                throw Invalid(ErrorIds.InvalidRelayListener, $"The listen address '{listener?.Address}' is not an IP address.", "Give an IP address of this machine, for example -ListenAddress 192.168.10.5 (127.0.0.1 and ::1 are the default).", listener?.Address);
            }

            listener.Address = address.ToString();
            if (listener.Port is < 1 or > 65535)
            {
                throw Invalid(ErrorIds.InvalidRelayListener, $"The listen port {listener.Port} is outside 1-65535.", "Give -Port 587 (or 25 for devices that only know that).", listener.Port);
            }

            if (!endpoints.Add(listener.Endpoint))
            {
                throw Invalid(ErrorIds.InvalidRelayListener, $"The relay listens on {listener.Endpoint} twice.", "Give each address once.", listener.Endpoint);
            }

            listener.AllowedSources = NormalizeRanges(listener.AllowedSources);
            if (!IPAddress.IsLoopback(address))
            {
                if (listener.AllowedSources.Count == 0)
                {
                    throw Invalid(
                        ErrorIds.RelayListenerNotRestricted,
                        $"The relay would listen on {listener.Endpoint}, which is reachable from other machines, without a list of the addresses that may connect.",
                        $"Name the devices' addresses or network: -ListenAddress {listener.Address} -AllowedSource 192.168.10.0/24.",
                        listener.Endpoint);
                }

                var everything = listener.AllowedSources.FirstOrDefault(r => AddressRange.Parse(r).IsEverything);
                if (everything is not null)
                {
                    throw Invalid(
                        ErrorIds.RelayListenerNotRestricted,
                        $"The allow-list of {listener.Endpoint} has {everything}, which admits every address: the relay would be open to the whole network.",
                        "Name the devices' network instead, for example -AllowedSource 192.168.10.0/24.",
                        listener.Endpoint);
                }
            }
        }
    }

    private static void ValidateTls(RelayTlsSettings tls)
    {
        tls.CertificatePath = string.IsNullOrWhiteSpace(tls.CertificatePath) ? null : tls.CertificatePath!.Trim();
        tls.CertificateThumbprint = string.IsNullOrWhiteSpace(tls.CertificateThumbprint) ? null : ProfileValidator.NormalizeThumbprint(tls.CertificateThumbprint) ?? tls.CertificateThumbprint;
        if (tls.CertificateThumbprint is not null && !Thumbprint.IsMatch(tls.CertificateThumbprint))
        {
            throw Invalid(ErrorIds.InvalidRelayCertificate, $"The certificate thumbprint '{tls.CertificateThumbprint}' is not 40 hexadecimal characters.", "Copy the thumbprint from Get-ChildItem Cert:\\LocalMachine\\My.", tls.CertificateThumbprint);
        }

        switch (tls.CertificateSource)
        {
            case RelayCertificateSource.None:
                if (tls.CertificatePath is not null)
                {
                    throw Invalid(ErrorIds.InvalidRelayCertificate, "The relay has a certificate path but its certificate source is None.", "Set certificateSource to File (or Generated), or remove certificatePath.", tls.CertificatePath);
                }

                break;
            case RelayCertificateSource.Generated:
            case RelayCertificateSource.File:
                if (tls.CertificatePath is null)
                {
                    throw Invalid(ErrorIds.InvalidRelayCertificate, $"The relay's certificate source is {tls.CertificateSource} but no certificate file is named.", "Give -CertificatePath <file.pfx>, or -GenerateCertificate.", null);
                }

                break;
            case RelayCertificateSource.Store:
                if (tls.CertificateThumbprint is null)
                {
                    throw Invalid(ErrorIds.InvalidRelayCertificate, "The relay's certificate comes from the certificate store but no thumbprint is named.", "Give -CertificateThumbprint <40 hex characters> of a certificate in Cert:\\LocalMachine\\My.", null);
                }

                break;
            default:
                throw Invalid(ErrorIds.InvalidRelayCertificate, $"The certificate source '{tls.CertificateSource}' is unknown.", "Use None, Generated, File or Store.", tls.CertificateSource);
        }
    }

    private static void ValidateLimits(RelayLimits limits)
    {
        RequireRange(limits.MaxMessageBytes, RelayLimits.MaxMessageBytesFloor, RelayLimits.MaxMessageBytesCeiling, "The maximum message size", "bytes", "-MaxMessageSize 35MB (Exchange Online accepts at most 150 MB)");
        RequireRange(limits.MaxConnectionsPerSource, 1, 1000, "The connections per source address", string.Empty, "-MaxConnectionsPerSource 10");
        RequireRange(limits.AuthFailuresBeforeLockout, 1, 100, "The failed logins before a lockout", string.Empty, "-AuthFailuresBeforeLockout 5");
        RequireRange(limits.LockoutSeconds, 1, 86400, "The lockout duration", "seconds", "-LockoutDuration (New-TimeSpan -Minutes 15)");
        RequireRange(limits.MessagesPerMinutePerMailbox, 0, 10_000, "The messages per minute and mailbox", string.Empty, "30 (messagesPerMinutePerMailbox in relay.json; 0 does not pace)");
        RequireRange(limits.ConnectionsPerMailbox, 1, 3, "The connections per sending mailbox", string.Empty, "3 (connectionsPerMailbox; Exchange Online allows 3 concurrent submissions)");
        RequireRange(limits.MaxDeliveryAttempts, 1, 100, "The delivery attempts per message", string.Empty, "12 (maxDeliveryAttempts)");
        RequireRange(limits.FirstRetrySeconds, 0, 3600, "The wait before the first retry", "seconds", "30 (firstRetrySeconds)");
        RequireRange(limits.MaxRetrySeconds, limits.FirstRetrySeconds, 86400, "The longest wait between retries", "seconds", "1800 (maxRetrySeconds, at least firstRetrySeconds)");
        RequireRange(limits.ThrottledMailboxPauseSeconds, 0, 86400, "The rest after Exchange locked a mailbox out of sending", "seconds", "3600 (throttledMailboxPauseSeconds)");
    }

    private static void RequireRange(long value, long minimum, long maximum, string what, string unit, string fix)
    {
        if (value < minimum || value > maximum)
        {
            var suffix = unit.Length == 0 ? string.Empty : " " + unit;
            throw Invalid(
                ErrorIds.InvalidRelayLimit,
                string.Format(CultureInfo.InvariantCulture, "{0} is {1}{2}; it must be from {3} to {4}{2}.", what, value, suffix, minimum, maximum),
                "Give a value in range, for example " + fix + ".",
                value);
        }
    }

    private static string RequirePath(string? path, string name)
    {
        if (string.IsNullOrWhiteSpace(path) || path!.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            throw Invalid(ErrorIds.RelayConfigurationCorrupt, $"The relay's {name} '{path}' is not a path.", $"Give {name} a folder or file path (relative paths are under the relay home).", path);
        }

        return path.Trim();
    }

    private static List<string> NormalizeRanges(List<string>? ranges) =>
        (ranges ?? new List<string>()).Select(r => AddressRange.Parse(r).ToString()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static OAuthSmtpException AlreadyExists(string message, string name) => new(
        ErrorIds.RelayClientAlreadyExists,
        ErrorKind.ResourceExists,
        message,
        "Choose another name (-Name, -UserName), or remove the old device with Remove-SmtpOAuthRelayClient.",
        name);

    private static OAuthSmtpException Invalid(string errorId, string message, string fix, object? target) =>
        new(errorId, ErrorKind.InvalidArgument, message, fix, target);
}
