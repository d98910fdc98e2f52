using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// The baseline: the real Send-MailMessage of PowerShell 7 (Microsoft.PowerShell.SDK, in the same hosted runspace as
/// the module's runs), one call per message as the scripts the module replaces do it, with Basic AUTH LOGIN over
/// STARTTLS to the same emulated tenant. The emulator accepts Basic with the mailbox user's password, as a tenant
/// does until Microsoft disables it by default at the end of December 2026 (EXCHANGE-FACTS §8).
/// </summary>
public sealed class SendMailMessageBaseline
{
    private readonly PowerShellSession _session;

    private SendMailMessageBaseline(PowerShellSession session) => _session = session;

    /// <summary>Gives the tenant's mailbox user a password and puts the matching PSCredential into the session.</summary>
    public static SendMailMessageBaseline ForTenant(EmulatedTenant tenant, PowerShellSession session)
    {
        var mailbox = tenant.Current.Mailbox;
        var password = "Bench-" + Guid.NewGuid().ToString("N");
        var model = tenant.Emulator.Tenant;
        lock (model.SyncRoot)
        {
            var user = model.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, mailbox, StringComparison.OrdinalIgnoreCase))
                       ?? throw new InvalidOperationException($"The emulated tenant has no user {mailbox}.");
            user.Password = password;
        }

        EmulatedTenant.Check(
            session.Run(
                "$global:BaselineCredential = [pscredential]::new($args[0], (ConvertTo-SecureString $args[1] -AsPlainText -Force))",
                arguments: new object?[] { mailbox, password }),
            "the baseline's credential");
        return new SendMailMessageBaseline(session);
    }

    /// <summary>Sends messages 1..count with one Send-MailMessage call (and connection) each.</summary>
    public void SendEach(int count, EmulatedTenant tenant)
    {
        var current = tenant.Current;
        EmulatedTenant.Check(
            _session.Run(
                $$"""
                foreach ($i in 1..{{count}}) {
                    Send-MailMessage -SmtpServer '{{current.SmtpServer}}' -Port {{current.SmtpPort}} -UseSsl -Credential $BaselineCredential `
                        -From '{{current.Mailbox}}' -To "user$i@fabrikam.com" -Subject "Bulk $i" -Body "Hello $i" -WarningAction SilentlyContinue
                }
                """),
            "Send-MailMessage");
    }
}
