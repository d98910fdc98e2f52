using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// An SMTP submission server over a hand-built tenant in the "Ready" state for app-only OAuth (Exchange service
/// principal registered with the enterprise app's object id, FullAccess on the mailbox, SMTP AUTH on for the
/// mailbox, off for the organisation as in a new tenant), plus a delegated user and a shared mailbox.
/// Each test changes the model to produce the state it needs. Stops when disposed.
/// </summary>
internal sealed class SmtpTestHost : IAsyncDisposable
{
    public const string Mailbox = "alerts@contoso.com";
    public const string SharedMailbox = "sales@contoso.com";
    public const string UserAddress = "adele.vance@contoso.com";
    public const string UserPassword = "Correct-Horse-9";
    public const string Recipient = "someone@fabrikam.com";

    private SmtpTestHost()
    {
    }

    public EmulatorClock Clock { get; } = new();

    public TenantModel Tenant { get; private set; } = null!;

    public EmulatorFaults Faults { get; } = new();

    public EmulatorStatistics Statistics { get; } = new();

    public DeliveredMessageStore Delivered { get; } = new();

    public SmtpSubmissionServer Server { get; private set; } = null!;

    public int Port { get; private set; }

    public Guid TenantId { get; } = Guid.NewGuid();

    public Guid AppId { get; } = Guid.NewGuid();

    /// <summary>The app registration's object id: NOT what Exchange wants.</summary>
    public Guid AppObjectId { get; } = Guid.NewGuid();

    /// <summary>The enterprise app's object id: the token's oid.</summary>
    public Guid ServicePrincipalId { get; } = Guid.NewGuid();

    public Guid UserObjectId { get; } = Guid.NewGuid();

    public X509Certificate2 ServerCertificate => EmulatorCertificateAuthority.Instance.ServerCertificate;

    public static async Task<SmtpTestHost> StartAsync()
    {
        var host = new SmtpTestHost();
        host.Tenant = host.BuildTenant();
        var context = new SmtpServerContext
        {
            Tenant = host.Tenant,
            Clock = host.Clock,
            Faults = host.Faults,
            Statistics = host.Statistics,
            Delivered = host.Delivered,
            TokenValidator = new AccessTokenValidator(host.Clock),
            ServerCertificate = host.ServerCertificate,
            HostName = "localhost",
        };
        host.Server = new SmtpSubmissionServer(context);
        host.Port = await host.Server.StartAsync(CancellationToken.None);
        return host;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>A classic app-only token (roles = SMTP.SendAsApp) for this tenant's enterprise app.</summary>
    public string AppToken(IReadOnlyList<string>? roles = null, string audience = TestTokens.ExchangeAudience) =>
        TestTokens.App(TenantId, AppId, ServicePrincipalId, roles ?? new[] { "SMTP.SendAsApp" }, Clock.UtcNow, audience);

    public string UserToken(string scopes = "SMTP.Send") =>
        TestTokens.User(TenantId, AppId, UserObjectId, UserAddress, scopes, Clock.UtcNow);

    public Mailbox FindMailbox(string address) => Tenant.Mailboxes.Single(m => m.PrimarySmtpAddress == address);

    /// <summary>A connected, STARTTLS-secured MailKit client that trusts exactly this server's certificate.</summary>
    public async Task<SmtpClient> ConnectAsync()
    {
        var client = new SmtpClient { Timeout = 10_000, ServerCertificateValidationCallback = ValidateAgainstEmulatorRoot };
        await client.ConnectAsync("localhost", Port, SecureSocketOptions.StartTls);
        return client;
    }

    /// <summary>
    /// Full chain and host-name validation against this process's emulator root only (other test processes trust
    /// roots of the same name in the shared test store); the emulator CA publishes no revocation list.
    /// </summary>
    public static bool ValidateAgainstEmulatorRoot(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(EmulatorCertificateAuthority.Instance.RootCertificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(presented);
    }

    /// <summary>Connects and authenticates with XOAUTH2 as <paramref name="user"/>.</summary>
    public async Task<SmtpClient> ConnectAndAuthenticateAsync(string token, string user = Mailbox)
    {
        var client = await ConnectAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(user, token));
        return client;
    }

    public static MimeMessage Message(string from = Mailbox, string to = Recipient, string subject = "Test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello from the emulator tests.\r\n.leading dot line\r\n" };
        return message;
    }

    private TenantModel BuildTenant()
    {
        var model = new TenantModel(Clock);
        var now = Clock.UtcNow;
        model.Tenant = new Model.Tenant { TenantId = TenantId, InitialDomain = "contoso.onmicrosoft.com" };
        model.Tenant.VerifiedDomains.Add("contoso.com");
        model.Applications.Add(new AppRegistration { AppId = AppId, ObjectId = AppObjectId, DisplayName = "OAuthSmtp Mailer" });
        model.ServicePrincipals.Add(new EntraServicePrincipal { AppId = AppId, ObjectId = ServicePrincipalId, DisplayName = "OAuthSmtp Mailer" });
        model.TransportConfig = new TransportConfig { SmtpClientAuthenticationDisabled = true, EffectiveAt = now };

        var alerts = AddMailbox(model, "alerts", "Alerts", Mailbox, "UserMailbox", Guid.NewGuid());
        alerts.SmtpClientAuthenticationDisabled = false;
        AddMailbox(model, "sales", "Sales", SharedMailbox, "SharedMailbox", Guid.NewGuid());
        var adele = AddMailbox(model, "adele.vance", "Adele Vance", UserAddress, "UserMailbox", UserObjectId);
        adele.SmtpClientAuthenticationDisabled = false;
        model.Users.Add(new EntraUser { ObjectId = UserObjectId, UserPrincipalName = UserAddress, DisplayName = "Adele Vance", Password = UserPassword });

        model.ExchangeServicePrincipals.Add(new ExchangeServicePrincipal
        {
            AppId = AppId.ToString(), ObjectId = ServicePrincipalId.ToString(), DisplayName = "OAuthSmtp Mailer", EffectiveAt = now,
        });
        var fullAccess = new MailboxPermission { MailboxIdentity = Mailbox, User = ServicePrincipalId.ToString(), EffectiveAt = now };
        fullAccess.AccessRights.Add("FullAccess");
        model.MailboxPermissions.Add(fullAccess);
        return model;
    }

    private static Mailbox AddMailbox(TenantModel model, string alias, string displayName, string address, string type, Guid objectId)
    {
        var mailbox = new Mailbox
        {
            Alias = alias,
            DisplayName = displayName,
            PrimarySmtpAddress = address,
            UserPrincipalName = address,
            RecipientTypeDetails = type,
            SkuAssigned = type == "UserMailbox",
            ExternalDirectoryObjectId = objectId,
        };
        mailbox.ProxyAddresses.Add("SMTP:" + address);
        model.Mailboxes.Add(mailbox);
        return mailbox;
    }
}
