namespace OAuthSmtp.Engine.Tokens;

/// <summary>Whose token it is: an application acting as itself (app-only) or a signed-in user (delegated).</summary>
public enum TokenIdentityType
{
    /// <summary>Neither the idtyp claim nor the roles/scp/upn claims tell.</summary>
    Unknown,

    /// <summary>App-only (client credentials, managed identity): authorised by roles.</summary>
    App,

    /// <summary>Delegated (device code, browser): authorised by scp.</summary>
    User,
}
