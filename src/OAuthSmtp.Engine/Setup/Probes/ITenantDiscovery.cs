using System;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>Asks the cloud's authority whether a tenant exists there (OpenID discovery), without any credential.</summary>
public interface ITenantDiscovery
{
    Task<TenantDiscoveryResult> DiscoverAsync(Uri authorityHost, string tenant, CancellationToken cancellationToken);
}

/// <summary>What OpenID discovery said about a tenant.</summary>
public sealed class TenantDiscoveryResult
{
    private TenantDiscoveryResult(bool found, string? tenantId, string? issuer, int? aadstsCode, string? error)
    {
        Found = found;
        TenantId = tenantId;
        Issuer = issuer;
        AadstsCode = aadstsCode;
        Error = error;
    }

    public bool Found { get; }

    /// <summary>The tenant GUID read from the issuer (a domain resolves to it).</summary>
    public string? TenantId { get; }

    public string? Issuer { get; }

    /// <summary>90002 (unknown tenant) or 900023 (malformed tenant) when the authority refused it.</summary>
    public int? AadstsCode { get; }

    /// <summary>The authority's error_description, or why it could not be reached.</summary>
    public string? Error { get; }

    /// <summary>The authority could not be reached at all (DNS, TCP, TLS, 5xx).</summary>
    public bool Unreachable => !Found && AadstsCode is null;

    public static TenantDiscoveryResult Exists(string? tenantId, string? issuer) => new(true, tenantId, issuer, null, null);

    public static TenantDiscoveryResult Refused(int? aadstsCode, string? error) => new(false, null, null, aadstsCode ?? 0, error);

    public static TenantDiscoveryResult NotReached(string error) => new(false, null, null, null, error);
}
