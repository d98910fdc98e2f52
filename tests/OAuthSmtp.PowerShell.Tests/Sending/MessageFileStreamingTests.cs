using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>
/// -MessagePath .eml files are streamed (issue 13 item 14) through the cmdlet: a long Get-ChildItem pipeline leaves
/// none of its files open, and a message whose file disappeared before its turn is that message's own error, carrying
/// its path for a resend.
/// </summary>
public sealed class MessageFileStreamingTests : SendTestBase
{
    public MessageFileStreamingTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void Five_hundred_eml_files_piped_from_Get_ChildItem_are_sent_and_none_stays_open()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Start();
        var outbox = Directory.CreateDirectory(Path.Combine(Folder, "Outbox")).FullName;
        for (var i = 0; i < 500; i++)
        {
            File.WriteAllText(Path.Combine(outbox, $"{i:D3}.eml"), Eml(i), new UTF8Encoding(false));
        }

        var result = Run("""
            param($Outbox)
            function Get-OpenUnder([string]$Folder) {
                @([System.IO.Directory]::GetFileSystemEntries('/proc/self/fd') | ForEach-Object { [System.IO.FileInfo]::new($_).LinkTarget } | Where-Object { $_ -like "$Folder*" }).Count
            }
            $before = [System.IO.Directory]::GetFileSystemEntries('/proc/self/fd').Count
            $between = Get-ChildItem -Path $Outbox -Filter *.eml | Send-SmtpOAuthMessage -Profile Emu -PassThru |
                ForEach-Object { '{0}|{1}' -f $_.Status, (Get-OpenUnder $Outbox) }
            $after = [System.IO.Directory]::GetFileSystemEntries('/proc/self/fd').Count
            $between
            "handles|$before|$after|$(Get-OpenUnder $Outbox)"
            """, new Dictionary<string, object?> { ["Outbox"] = outbox });

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var lines = result.Output.Select(o => o.ToString()).ToList();
        var perMessage = lines.Where(l => !l.StartsWith("handles|", StringComparison.Ordinal)).ToList();
        Assert.Equal(500, perMessage.Count);
        Assert.All(perMessage, line => Assert.Equal("Sent|0", line));
        var handles = lines.Single(l => l.StartsWith("handles|", StringComparison.Ordinal)).Split('|');
        var before = int.Parse(handles[1], System.Globalization.CultureInfo.InvariantCulture);
        var after = int.Parse(handles[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("0", handles[3]);
        // Not one per message: the hosted session and the emulator open a few of their own on first use.
        Assert.True(after - before < 100, $"process handles {before} before the pipeline, {after} after");
        Assert.Equal(500, Emulator.Delivered.Count);
    }

    [Fact]
    public void A_message_file_removed_before_its_turn_is_its_own_error_and_resends_by_its_path()
    {
        Start();
        var outbox = Directory.CreateDirectory(Path.Combine(Folder, "Outbox")).FullName;
        var first = Path.Combine(outbox, "1.eml");
        var second = Path.Combine(outbox, "2.eml");
        File.WriteAllText(first, Eml(1));
        File.WriteAllText(second, Eml(2));

        // The first file is gone when its turn comes: its error carries the path, the second is sent.
        var result = Run("""
            param($First, $Second)
            $failed = $null
            Move-Item $First "$First.aside"
            Send-SmtpOAuthMessage -MessagePath $First, $Second -Profile Emu -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue | ForEach-Object { "sent|$($_.Subject)" }
            foreach ($record in $failed) { "error|$($record.FullyQualifiedErrorId)|$($record.TargetObject)" }
            """, new Dictionary<string, object?> { ["First"] = first, ["Second"] = second });

        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.True(lines.Contains("sent|Saved 2"), string.Join(Environment.NewLine, lines) + result.ErrorText);
        var error = Assert.Single(lines, l => l.StartsWith("error|", StringComparison.Ordinal));
        Assert.StartsWith("error|InvalidMessageInput" + CommandSuffix, error, StringComparison.Ordinal);
        Assert.EndsWith(first, error, StringComparison.Ordinal);

        File.Move(first + ".aside", first);
        var resent = Run("param($First) Send-SmtpOAuthMessage -MessagePath $First -Profile Emu -PassThru | ForEach-Object Status", new Dictionary<string, object?> { ["First"] = first });
        Assert.True(!resent.AllErrors.Any(), resent.ErrorText);
        Assert.Equal("Sent", Assert.Single(resent.Output).ToString());
        Assert.Equal(1, DeliveredWithSubject("Saved 1"));
    }

    private string Eml(int index) =>
        $"From: {Tenant.Mailbox}\r\nTo: user{index}@fabrikam.com\r\nSubject: Saved {index}\r\nMessage-Id: <hosted-{index}-{Guid.NewGuid():N}@contoso.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n{new string('x', 3000)}\r\n";
}
