using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OAuthSmtp.PowerShell.Tests.Infrastructure;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>
/// Issue 13's property over pipeline objects: rows with any mix of connection columns (SmtpServer, ComputerName, Port,
/// Profile, Credential, AccessToken, UseSsl) pointing at a capture server or holding junk, and extra columns of any
/// name, all go out through the command line's profile: every row is Sent from the profile's mailbox, and the capture
/// server on loopback never sees a connection.
/// </summary>
public sealed class PipelineColumnProperties : SendTestBase
{
    private static readonly string[] ConnectionColumns = { "SmtpServer", "ComputerName", "Port", "Profile", "Credential", "AccessToken", "UseSsl" };
    private static int _case;

    public PipelineColumnProperties(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    private static Gen<string> Junk =>
        Gen.Elements("127.0.0.1", "localhost", "evil.example", "", " ", "0", "-1", "70000", "True", "Emu", "Nope", "x;y", "'$(exit)'", "ünï", "smtp.office365.com")
            .ArrayOf().Select(parts => string.Concat(parts));

    private static Gen<KeyValuePair<string, string>> Column =>
        Gen.OneOf(
            Gen.Zip(Gen.Elements(ConnectionColumns), Junk),
            Gen.Zip(Gen.Elements("Department", "Xyz", "Printer", "Row", "Note", "Smtp", "Server"), Junk))
        .Select(t => new KeyValuePair<string, string>(t.Item1, t.Item2));

    private static Gen<Dictionary<string, string>[]> Rows =>
        Column.ArrayOf().Select(columns => columns.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Value))
            .ArrayOf().Where(rows => rows.Length is > 0 and <= 4);

    [Property(MaxTest = 25)]
    public Property Rows_with_any_connection_columns_go_only_through_the_command_lines_profile() =>
        Prop.ForAll(Arb.From(Rows), rows =>
        {
            Start();
            using var capture = new CaptureServer(smtpGreeting: true);
            var batch = Interlocked.Increment(ref _case);
            var table = rows.Select((columns, index) =>
            {
                var row = new Hashtable { ["To"] = "a@fabrikam.com", ["Subject"] = $"Columns {batch}-{index}" };
                foreach (var (name, value) in columns)
                {
                    // A Port column is the attacker's: it names the capture server's port, as a redirect would.
                    row[name] = name == "Port" ? capture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : value;
                }

                return row;
            }).ToArray();

            var result = Run(
                """
                param($Rows)
                $Rows | ForEach-Object { [pscustomobject]$_ } | Send-SmtpOAuthMessage -Profile Emu -PassThru
                """,
                new Dictionary<string, object?> { ["Rows"] = table });

            var sent = result.Output.Count(o => o.Properties["Status"]?.Value?.ToString() == "Sent");
            var delivered = Emulator.Delivered.All.Where(d => d.Subject.StartsWith($"Columns {batch}-", System.StringComparison.Ordinal)).ToList();
            return (!result.AllErrors.Any()).Label(result.ErrorText)
                .And(sent == rows.Length).Label($"{sent} of {rows.Length} Sent")
                .And(capture.Connections == 0).Label($"{capture.Connections} connection(s) to the capture server")
                .And(delivered.Count == rows.Length && delivered.All(d => string.Equals(d.AuthenticatedMailbox, Tenant.Mailbox, System.StringComparison.OrdinalIgnoreCase)))
                .Label("every row delivered once from the profile's mailbox");
        });
}
