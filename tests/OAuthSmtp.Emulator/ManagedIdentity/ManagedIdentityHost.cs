namespace OAuthSmtp.Emulator.ManagedIdentity;

/// <summary>Where a managed identity's tokens come from (EXCHANGE-FACTS §2): the host decides the protocol.</summary>
public enum ManagedIdentityHost
{
    /// <summary>App Service / Functions: IDENTITY_ENDPOINT + X-IDENTITY-HEADER, api-version 2019-08-01.</summary>
    AppService,

    /// <summary>Azure VM / scale set: IMDS at 169.254.169.254, "Metadata: true", api-version 2018-02-01.</summary>
    AzureVm,
}
