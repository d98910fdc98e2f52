using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Trust;

/// <summary>
/// The one rule for where a token or secret may go (issue 13): an SMTP token only to an SMTP submission host of the
/// token's cloud (EXCHANGE-FACTS section 1, with the High Volume Email and legacy-TLS hosts), a client secret or
/// certificate assertion only to the cloud's sign-in host, a Graph token only to the cloud's Graph host; sign-in and
/// Graph always over https (SMTP always upgrades with STARTTLS before AUTH). Any other host only when the admin named
/// it explicitly: in a profile saved with -AllowNonMicrosoftHost, or as a parameter typed on the command line (never
/// from pipeline input: the caller decides that and says so with <c>explicitlyNamed</c>).
/// Every check throws <see cref="OAuthSmtpException"/> (SecurityError) before anything is sent.
/// </summary>
public static class HostTrustPolicy
{
    /// <summary>High Volume Email (HVE-DOC): the current host and the one "deprecated in the future".</summary>
    private static readonly string[] HighVolumeEmailHosts = { "smtp.hve.mx.microsoft", "smtp-hve.office365.com" };

    /// <summary>The opt-in host for TLS 1.0/1.1 clients (Microsoft 365 admin help "Legacy endpoint for SMTP AUTH").</summary>
    private const string LegacyTlsHost = "smtp-legacy.office365.com";

    /// <summary>The SMTP submission hosts a token of <paramref name="cloud"/> may go to.</summary>
    public static IReadOnlyList<string> SmtpHostsOf(CloudName cloud) => cloud switch
    {
        CloudName.Global => new[] { CloudEndpoints.Global.SmtpServer, LegacyTlsHost }.Concat(HighVolumeEmailHosts).ToArray(),

        // 21Vianet: both spellings seen in public configurations (EXCHANGE-FACTS 9.1, unconfirmed which is canonical).
        CloudName.China => new[] { CloudEndpoints.China.SmtpServer, "partner.outlook.cn" },
        _ => new[] { CloudEndpoints.For(cloud).SmtpServer },
    };

    /// <summary>The sign-in hosts a secret of <paramref name="cloud"/> may go to (China has a documented alias).</summary>
    public static IReadOnlyList<string> SignInHostsOf(CloudName cloud) => cloud == CloudName.China
        ? new[] { CloudEndpoints.China.AuthorityHost.Host, "login.chinacloudapi.cn" }
        : new[] { CloudEndpoints.For(cloud).AuthorityHost.Host };

    public static bool IsCloudSmtpHost(CloudName cloud, string? host) =>
        !string.IsNullOrWhiteSpace(host) && SmtpHostsOf(cloud).Contains(host!.Trim().TrimEnd('.'), StringComparer.OrdinalIgnoreCase);

    public static bool IsCloudSignInHost(CloudName cloud, Uri? authorityHost) =>
        IsHttpsOnDefaultPort(authorityHost) && SignInHostsOf(cloud).Contains(authorityHost!.Host.TrimEnd('.'), StringComparer.OrdinalIgnoreCase);

    public static bool IsCloudGraphEndpoint(CloudName cloud, Uri? graphEndpoint) =>
        IsHttpsOnDefaultPort(graphEndpoint)
        && string.Equals(graphEndpoint!.Host.TrimEnd('.'), CloudEndpoints.For(cloud).GraphEndpoint.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where an SMTP token of <paramref name="cloud"/> may go. <paramref name="explicitlyNamed"/>: the host comes from
    /// a profile saved with -AllowNonMicrosoftHost, or from a parameter typed on the command line.
    /// </summary>
    /// <exception cref="OAuthSmtpException">UntrustedSmtpServer.</exception>
    public static void RequireSmtpServer(CloudName cloud, string? host, bool explicitlyNamed, object? target = null)
    {
        if (explicitlyNamed || IsCloudSmtpHost(cloud, host))
        {
            return;
        }

        throw new OAuthSmtpException(
            ErrorIds.UntrustedSmtpServer,
            ErrorKind.SecurityError,
            $"The SMTP server '{host}' is not an Exchange Online SMTP host of the {cloud} cloud ({string.Join(", ", SmtpHostsOf(cloud))}), so the access token was not sent to it.",
            "Leave -SmtpServer out to use the cloud's host. To send through another server on purpose, name it in the profile together with -AllowNonMicrosoftHost (New-/Set-SmtpOAuthProfile -SmtpServer <host> -AllowNonMicrosoftHost), or type -SmtpServer on the command line.",
            target ?? host);
    }

    /// <summary>Where a secret, certificate assertion or sign-in of <paramref name="cloud"/> may go.</summary>
    /// <exception cref="OAuthSmtpException">InvalidAuthorityHost (not https) or UntrustedAuthorityHost.</exception>
    public static void RequireAuthorityHost(CloudName cloud, Uri? authorityHost, bool explicitlyNamed, object? target = null)
    {
        ProfileValidator.ValidateAuthorityHost(authorityHost, target);
        if (explicitlyNamed || IsCloudSignInHost(cloud, authorityHost))
        {
            return;
        }

        throw new OAuthSmtpException(
            ErrorIds.UntrustedAuthorityHost,
            ErrorKind.SecurityError,
            $"The authority host '{authorityHost}' is not a Microsoft sign-in host of the {cloud} cloud (https://{string.Join(", https://", SignInHostsOf(cloud))}), so no secret or sign-in was sent to it.",
            "Leave -AuthorityHost out to use the cloud's sign-in host (Set-SmtpOAuthProfile -Name <name> -AuthorityHost ''). To use another one on purpose, add -AllowNonMicrosoftHost to the profile, or type -AuthorityHost on the command line.",
            target ?? authorityHost?.ToString());
    }

    /// <summary>Where a Graph token of <paramref name="cloud"/> may go: https always, another host only when named explicitly.</summary>
    /// <exception cref="OAuthSmtpException">UntrustedGraphEndpoint.</exception>
    public static void RequireGraphEndpoint(CloudName cloud, Uri? graphEndpoint, bool explicitlyNamed, object? target = null)
    {
        var https = graphEndpoint is not null && graphEndpoint.IsAbsoluteUri && graphEndpoint.Scheme == Uri.UriSchemeHttps;
        if (https && (explicitlyNamed || IsCloudGraphEndpoint(cloud, graphEndpoint)))
        {
            return;
        }

        throw new OAuthSmtpException(
            ErrorIds.UntrustedGraphEndpoint,
            ErrorKind.SecurityError,
            https
                ? $"The Graph endpoint '{graphEndpoint}' is not Microsoft Graph of the {cloud} cloud ({CloudEndpoints.For(cloud).GraphEndpoint}), so the Graph token was not sent to it."
                : $"The Graph endpoint '{graphEndpoint}' is not an https address; a Graph token is never sent in clear text.",
            $"Remove $env:OAUTHSMTP_GRAPH_ENDPOINT (Remove-Item Env:OAUTHSMTP_GRAPH_ENDPOINT) to use {CloudEndpoints.For(cloud).GraphEndpoint}. Another https endpoint is used only when typed as -GraphEndpoint on the command line, or set in the variable for a profile saved with -AllowNonMicrosoftHost.",
            target ?? graphEndpoint?.ToString());
    }

    /// <summary>
    /// The Graph endpoint Test-SmtpOAuthSetup uses: -GraphEndpoint typed on the command line (named explicitly: any
    /// https host), else $env:OAUTHSMTP_GRAPH_ENDPOINT (the cloud's Graph host, or any https host for a profile saved
    /// with -AllowNonMicrosoftHost), else null for the cloud's own.
    /// </summary>
    /// <exception cref="OAuthSmtpException">UntrustedGraphEndpoint.</exception>
    public static Uri? ChooseGraphEndpoint(SmtpOAuthProfile profile, Uri? commandLine, string? environmentValue)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        if (commandLine is not null)
        {
            RequireGraphEndpoint(profile.Cloud, commandLine, explicitlyNamed: true);
            return commandLine;
        }

        if (string.IsNullOrWhiteSpace(environmentValue))
        {
            return null;
        }

        Uri.TryCreate(environmentValue!.Trim(), UriKind.Absolute, out var fromEnvironment);
        RequireGraphEndpoint(profile.Cloud, fromEnvironment, profile.AllowNonMicrosoftHost, environmentValue);
        return fromEnvironment;
    }

    /// <summary>Checks a profile's SMTP server and authority host (called by the profile validator on save and on read).</summary>
    public static void RequireProfileHosts(SmtpOAuthProfile profile)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        RequireSmtpServer(profile.Cloud, profile.SmtpServer, profile.AllowNonMicrosoftHost, NameOr(profile, profile.SmtpServer));
        if (!profile.IsManagedIdentity)
        {
            RequireAuthorityHost(profile.Cloud, profile.AuthorityHost, profile.AllowNonMicrosoftHost, NameOr(profile, profile.AuthorityHost?.ToString()));
        }
    }

    /// <summary>
    /// The hosts outside Microsoft that a profile saved with -AllowNonMicrosoftHost will receive its token or secret,
    /// in words for a warning; null when there are none.
    /// </summary>
    public static string? DescribeNonMicrosoftHosts(SmtpOAuthProfile profile)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        var parts = new List<string>();
        if (!IsCloudSmtpHost(profile.Cloud, profile.SmtpServer))
        {
            parts.Add($"its access token to the SMTP server {profile.SmtpServer}");
        }

        if (!profile.IsManagedIdentity && !IsCloudSignInHost(profile.Cloud, profile.AuthorityHost))
        {
            parts.Add($"its {(profile.IsDelegated ? "sign-in" : "secret or certificate assertion")} to the authority host {profile.AuthorityHost}");
        }

        if (parts.Count == 0)
        {
            return null;
        }

        return $"Profile '{profile.Name}' sends {string.Join(" and ", parts)}, which {(parts.Count == 1 ? "is" : "are")} not Microsoft's {profile.Cloud} cloud; it was saved with -AllowNonMicrosoftHost. "
            + $"If you did not set this up, run Set-SmtpOAuthProfile -Name '{profile.Name}' -SmtpServer '' -AuthorityHost '' -AllowNonMicrosoftHost:$false and rotate the credential.";
    }

    private static bool IsHttpsOnDefaultPort(Uri? uri) =>
        uri is not null && uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort;

    private static object? NameOr(SmtpOAuthProfile profile, string? value) =>
        string.IsNullOrEmpty(profile.Name) ? value : profile.Name;
}
