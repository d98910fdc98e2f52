using System;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Endpoints per cloud (EXCHANGE-FACTS section 1). A profile takes these unless it overrides them.
/// </summary>
public sealed class CloudEndpoints
{
    private CloudEndpoints(CloudName cloud, string authorityHost, string exchangeResource, string delegatedResource, string smtpServer, string graphEndpoint)
    {
        Cloud = cloud;
        AuthorityHost = new Uri(authorityHost);
        ExchangeResource = exchangeResource;
        DelegatedResource = delegatedResource;
        SmtpServer = smtpServer;
        GraphEndpoint = new Uri(graphEndpoint);
    }

    public CloudName Cloud { get; }

    public Uri AuthorityHost { get; }

    /// <summary>The Exchange resource: the aud of app-only tokens; the app-only scope is this plus "/.default".</summary>
    public string ExchangeResource { get; }

    /// <summary>The resource of the delegated SMTP.Send scope.</summary>
    public string DelegatedResource { get; }

    public string SmtpServer { get; }

    public const int SmtpPort = 587;

    public Uri GraphEndpoint { get; }

    public string AppOnlyScope => ExchangeResource + "/.default";

    public string DelegatedScope => DelegatedResource + "/SMTP.Send";

    public static CloudEndpoints For(CloudName cloud) => cloud switch
    {
        CloudName.Global => Global,
        CloudName.USGov => USGov,
        CloudName.USGovDoD => USGovDoD,
        CloudName.China => China,
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    public static readonly CloudEndpoints Global = new(
        CloudName.Global, "https://login.microsoftonline.com", "https://outlook.office365.com", "https://outlook.office.com", "smtp.office365.com", "https://graph.microsoft.com");

    public static readonly CloudEndpoints USGov = new(
        CloudName.USGov, "https://login.microsoftonline.us", "https://outlook.office365.us", "https://outlook.office365.us", "smtp.office365.us", "https://graph.microsoft.us");

    // DoD's SMTP host is unconfirmed (EXCHANGE-FACTS 9.1): overridable per profile.
    public static readonly CloudEndpoints USGovDoD = new(
        CloudName.USGovDoD, "https://login.microsoftonline.us", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us", "outlook-dod.office365.us", "https://dod-graph.microsoft.us");

    // 21Vianet's canonical SMTP host is unconfirmed (EXCHANGE-FACTS 9.1): overridable per profile.
    public static readonly CloudEndpoints China = new(
        CloudName.China, "https://login.partner.microsoftonline.cn", "https://partner.outlook.cn", "https://partner.outlook.cn", "smtp.partner.outlook.cn", "https://microsoftgraph.chinacloudapi.cn");
}
