using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.Json;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>
/// Connect-MgGraph against the emulator. Delegated (default set): signs the scenario's administrator in without a
/// browser, consenting -Scopes first (a scope that needs admin consent fails for a user without a consenting role, as
/// "Need admin approval" does); the token carries every consented scope. -AccessToken (SecureString, SDK v2): uses the
/// token as given; the context is read from its claims. App-only: -ClientId with -CertificateThumbprint (CurrentUser\My)
/// or -Certificate, or -ClientSecretCredential (user name = client id): the token carries the Graph app roles consented
/// to the app. -TenantId must name this tenant (id or verified domain).
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "MgGraph", DefaultParameterSetName = UserParameterSet)]
[Alias("Connect-Graph")]
[OutputType(typeof(void))]
public sealed class ConnectMgGraphCommand : PSCmdlet
{
    private const string UserParameterSet = "UserParameterSet";
    private const string AccessTokenParameterSet = "AccessTokenParameterSet";
    private const string AppCertificateParameterSet = "AppCertificateParameterSet";
    private const string AppSecretCredentialParameterSet = "AppSecretCredentialParameterSet";

    [Parameter(ParameterSetName = UserParameterSet, Position = 0)]
    public string[]? Scopes { get; set; }

    [Parameter(ParameterSetName = UserParameterSet, Position = 1)]
    [Parameter(ParameterSetName = AppCertificateParameterSet, Mandatory = true, Position = 1)]
    [Alias("AppId", "ApplicationId")]
    public string? ClientId { get; set; }

    [Parameter(ParameterSetName = UserParameterSet, Position = 4)]
    [Parameter(ParameterSetName = AppCertificateParameterSet, Position = 4)]
    [Parameter(ParameterSetName = AppSecretCredentialParameterSet, Position = 4)]
    [Alias("Audience", "Tenant")]
    public string? TenantId { get; set; }

    /// <summary>A certificate of CurrentUser\My (with its private key) whose public key the app holds.</summary>
    [Parameter(ParameterSetName = AppCertificateParameterSet, Position = 3)]
    public string? CertificateThumbprint { get; set; }

    [Parameter(ParameterSetName = AppCertificateParameterSet)]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>User name = the app's client id, password = a client secret.</summary>
    [Parameter(ParameterSetName = AppSecretCredentialParameterSet, Mandatory = true)]
    public PSCredential? ClientSecretCredential { get; set; }

    [Parameter(ParameterSetName = UserParameterSet)]
    [ValidateSet("Process", "CurrentUser")]
    public string? ContextScope { get; set; }

    [Parameter(ParameterSetName = UserParameterSet)]
    [Alias("DeviceCode", "DeviceAuth", "Device")]
    public SwitchParameter UseDeviceCode { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AccessTokenParameterSet, Position = 0)]
    public SecureString? AccessToken { get; set; }

    [Parameter]
    [Alias("EnvironmentName", "NationalCloud")]
    public string? Environment { get; set; }

    [Parameter]
    public double ClientTimeout { get; set; }

    [Parameter]
    public SwitchParameter NoWelcome { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = GraphEmulatorLookup.Get(this);
        if (Environment is not null && !string.Equals(Environment, "Global", StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(GraphErrors.SignInFailed($"The environment '{Environment}' is not known to the emulator, which stands in for the Global cloud."));
        }

        GraphConnection connection = ParameterSetName switch
        {
            AccessTokenParameterSet => FromAccessToken(emulator),
            AppCertificateParameterSet or AppSecretCredentialParameterSet => SignInApplication(emulator),
            _ => SignIn(emulator),
        };
        GraphConnections.Set(System.Management.Automation.Runspaces.Runspace.DefaultRunspace, connection);
        if (!NoWelcome)
        {
            var how = connection.Context.AuthType switch
            {
                "Delegated" => $"delegated access using {connection.Context.ClientId}",
                "AppOnly" => $"apponly access using {connection.Context.ClientId}",
                _ => "a user provided access token",
            };
            WriteInformation(new HostInformationMessage
            {
                Message = $"Welcome to Microsoft Graph!{System.Environment.NewLine}{System.Environment.NewLine}Connected via {how}{System.Environment.NewLine}" +
                    $"Readme: https://aka.ms/graph/sdk/powershell{System.Environment.NewLine}SDK Docs: https://aka.ms/graph/sdk/powershell/docs{System.Environment.NewLine}" +
                    $"API Docs: https://aka.ms/graph/docs{System.Environment.NewLine}{System.Environment.NewLine}NOTE: You can use the -NoWelcome parameter to suppress this message.",
                NoNewLine = false,
            }, new[] { "PSHOST" });
        }
    }

    /// <summary>App-only: a client secret (PSCredential) or a certificate with its private key (thumbprint in CurrentUser\My, or the object).</summary>
    private GraphConnection SignInApplication(ExchangeOnlineEmulator emulator)
    {
        RequireThisTenant(emulator);
        var clientId = ClientSecretCredential?.UserName ?? ClientId!;
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = Certificate;
        if (ParameterSetName == AppCertificateParameterSet && certificate is null)
        {
            using var store = new System.Security.Cryptography.X509Certificates.X509Store(System.Security.Cryptography.X509Certificates.StoreName.My, System.Security.Cryptography.X509Certificates.StoreLocation.CurrentUser);
            store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadOnly);
            certificate = store.Certificates.Find(System.Security.Cryptography.X509Certificates.X509FindType.FindByThumbprint, CertificateThumbprint ?? string.Empty, false).FirstOrDefault();
            if (certificate is null)
            {
                ThrowTerminatingError(GraphErrors.SignInFailed($"Certificate with thumbprint '{CertificateThumbprint}' was not found in the CurrentUser\\My certificate store."));
            }
        }

        AdministratorGraphToken token;
        try
        {
            token = emulator.Tokens.SignInApplicationToGraph(clientId, ClientSecretCredential?.GetNetworkCredential().Password, certificate);
        }
        catch (SignInRefusedException ex)
        {
            ThrowTerminatingError(GraphErrors.SignInFailed(ex.Message));
            throw;
        }

        var context = new AuthContext
        {
            ClientId = clientId,
            TenantId = emulator.Tenant.Tenant.TenantId.ToString(),
            Scopes = token.Scopes.ToArray(),
            AuthType = "AppOnly",
            TokenCredentialType = certificate is null ? "ClientSecret" : "ClientCertificate",
            CertificateThumbprint = certificate?.Thumbprint,
            CertificateSubjectName = certificate?.Subject,
            AppName = emulator.Tenant.Applications.FirstOrDefault(a => string.Equals(a.AppId.ToString(), clientId, StringComparison.OrdinalIgnoreCase))?.DisplayName,
            ContextScope = "Process",
            PSHostVersion = Host?.Version?.ToString(),
        };
        return new GraphConnection(context, token.AccessToken, token.ExpiresOn, emulator);
    }

    private void RequireThisTenant(ExchangeOnlineEmulator emulator)
    {
        var tenant = emulator.Tenant.Tenant;
        if (TenantId is not null && !string.Equals(TenantId, tenant.TenantId.ToString(), StringComparison.OrdinalIgnoreCase) &&
            !tenant.VerifiedDomains.Contains(TenantId, StringComparer.OrdinalIgnoreCase) &&
            !string.Equals(TenantId, "common", StringComparison.OrdinalIgnoreCase) && !string.Equals(TenantId, "organizations", StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(GraphErrors.SignInFailed($"AADSTS90002: Tenant '{TenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
        }
    }

    private GraphConnection SignIn(ExchangeOnlineEmulator emulator)
    {
        var tenant = emulator.Tenant.Tenant;
        RequireThisTenant(emulator);
        if (ClientId is not null && !string.Equals(ClientId, TokenService.GraphCommandLineToolsAppId.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(GraphErrors.SignInFailed($"The emulator signs in with Microsoft Graph Command Line Tools ({TokenService.GraphCommandLineToolsAppId}) only; -ClientId '{ClientId}' is not supported."));
        }

        AdministratorGraphToken token;
        try
        {
            token = emulator.Tokens.SignInAdministratorToGraph(Scopes?.SelectMany(s => s.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries)));
        }
        catch (SignInRefusedException ex)
        {
            ThrowTerminatingError(GraphErrors.SignInFailed(ex.Message));
            throw;
        }

        var context = new AuthContext
        {
            ClientId = TokenService.GraphCommandLineToolsAppId.ToString(),
            TenantId = tenant.TenantId.ToString(),
            Scopes = token.Scopes.ToArray(),
            AuthType = "Delegated",
            TokenCredentialType = UseDeviceCode ? "DeviceCode" : "InteractiveBrowser",
            Account = token.UserPrincipalName,
            AppName = "Microsoft Graph Command Line Tools",
            ContextScope = ContextScope ?? "CurrentUser",
            PSHostVersion = Host?.Version?.ToString(),
        };
        return new GraphConnection(context, token.AccessToken, token.ExpiresOn, emulator);
    }

    /// <summary>-AccessToken: the SDK sends the token as given and reads account, scopes and tenant from its claims.</summary>
    private GraphConnection FromAccessToken(ExchangeOnlineEmulator emulator)
    {
        var text = new NetworkCredential(string.Empty, AccessToken).Password;
        var context = new AuthContext { AuthType = "UserProvidedAccessToken", TokenCredentialType = "UserProvidedAccessToken", ContextScope = "Process" };
        var expiresOn = DateTimeOffset.MaxValue;
        try
        {
            var parts = text.Split('.');
            using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
            var root = claims.RootElement;
            string? Claim(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            context.ClientId = Claim("appid");
            context.TenantId = Claim("tid");
            context.Account = Claim("upn");
            context.AppName = Claim("app_displayname");
            context.Scopes = Claim("scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                ?? (root.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array ? roles.EnumerateArray().Select(r => r.GetString() ?? "").ToArray() : Array.Empty<string>());
            if (root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds))
            {
                expiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException or IndexOutOfRangeException or ArgumentException)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Invalid JWT access token."), "invalidJWT", ErrorCategory.InvalidArgument, null));
        }

        return new GraphConnection(context, text, expiresOn, emulator);
    }
}
