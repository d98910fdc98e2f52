namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>An enterprise application as Graph shows it: its id is the token's oid and the ObjectId New-ServicePrincipal wants.</summary>
public sealed class EntraServicePrincipalRecord
{
    public EntraServicePrincipalRecord(string objectId, string appId, string displayName, bool accountEnabled)
    {
        ObjectId = objectId ?? string.Empty;
        AppId = appId ?? string.Empty;
        DisplayName = displayName ?? string.Empty;
        AccountEnabled = accountEnabled;
    }

    public string ObjectId { get; }

    public string AppId { get; }

    public string DisplayName { get; }

    public bool AccountEnabled { get; }
}
