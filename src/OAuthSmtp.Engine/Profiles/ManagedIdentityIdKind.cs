namespace OAuthSmtp.Engine.Profiles;

/// <summary>Which id names a user-assigned managed identity.</summary>
public enum ManagedIdentityIdKind
{
    ClientId,
    ResourceId,
    ObjectId,
}
