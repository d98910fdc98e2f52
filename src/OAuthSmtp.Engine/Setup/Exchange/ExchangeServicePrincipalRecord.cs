namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>One Get-ServicePrincipal row: the ids exactly as New-ServicePrincipal stored them (Exchange never validates them).</summary>
public sealed class ExchangeServicePrincipalRecord
{
    public ExchangeServicePrincipalRecord(string identity, string appId, string objectId, string displayName)
    {
        Identity = identity ?? string.Empty;
        AppId = appId ?? string.Empty;
        ObjectId = objectId ?? string.Empty;
        DisplayName = displayName ?? string.Empty;
    }

    public string Identity { get; }

    public string AppId { get; }

    /// <summary>What Exchange compares with the token's oid.</summary>
    public string ObjectId { get; }

    public string DisplayName { get; }

    public override string ToString() => $"{DisplayName} (AppId {AppId}, ObjectId {ObjectId})";
}
