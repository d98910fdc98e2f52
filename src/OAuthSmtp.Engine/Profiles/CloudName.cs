namespace OAuthSmtp.Engine.Profiles;

/// <summary>The Microsoft 365 clouds that have Exchange Online SMTP submission (Germany closed in 2021 and is not supported).</summary>
public enum CloudName
{
    Global,
    USGov,
    USGovDoD,
    China,
}
