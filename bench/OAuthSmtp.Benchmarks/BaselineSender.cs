using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// What a Send-MailMessage-style script does, one message at a time: connect, STARTTLS, EHLO, AUTH XOAUTH2, send,
/// QUIT. Plain MailKit with the token fetched once beforehand, so only the SMTP pattern differs from the module.
/// </summary>
public sealed class BaselineSender
{
    private readonly ScenarioInfo _tenant;
    private readonly string _token;

    private BaselineSender(ScenarioInfo tenant, string token)
    {
        _tenant = tenant;
        _token = token;
    }

    /// <summary>Fetches one app-only token by client credentials (the "cached token" every message then uses).</summary>
    public static BaselineSender ForTenant(ScenarioInfo tenant)
    {
        using var http = new HttpClient();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = tenant.ClientId!.Value.ToString(),
            ["client_secret"] = tenant.ClientSecret!,
            ["scope"] = "https://outlook.office365.com/.default",
            ["grant_type"] = "client_credentials",
        });
        using var response = http.PostAsync(new Uri(tenant.AuthorityHost, $"{tenant.TenantId}/oauth2/v2.0/token"), body).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return new BaselineSender(tenant, json.RootElement.GetProperty("access_token").GetString()!);
    }

    /// <summary>Sends messages 1..count, each over a connection of its own.</summary>
    public void SendEach(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(_tenant.Mailbox));
            message.To.Add(MailboxAddress.Parse($"user{i}@fabrikam.com"));
            message.Subject = $"Bulk {i}";
            message.Body = new TextPart("plain") { Text = $"Hello {i}" };

            // Revocation cannot be checked against the emulator's CA (no CRL); System.Net.Mail, which
            // Send-MailMessage uses, does not check it either.
            using var client = new SmtpClient { CheckCertificateRevocation = false };
            client.Connect(_tenant.SmtpServer, _tenant.SmtpPort, SecureSocketOptions.StartTls);
            client.Authenticate(new SaslMechanismOAuth2(_tenant.Mailbox, _token));
            client.Send(message);
            client.Disconnect(quit: true);
        }
    }
}
