using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

/// <summary>
/// Uninstalling the relay: its configuration, status, logs and service go; a message a device was told was accepted
/// never goes unasked (the spool, and the profile store that sends it, stay and are reported).
/// </summary>
public sealed class RelayUninstallerTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-uninstall-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private RelayConfigurationStore Installed(Action<RelayConfiguration>? change = null)
    {
        var store = new RelayConfigurationStore(_home);
        var configuration = RelayConfiguration.CreateDefault(_home, 2525);
        change?.Invoke(configuration);
        store.Create(configuration, overwrite: false);
        Write(Path.Combine(_home, "profiles", "profiles.json"), "{}");
        Write(Path.Combine(_home, "logs", "outcomes.jsonl"), "{\"outcome\":\"accepted\"}\n");
        Write(Path.Combine(_home, "logs", "relay-console.log"), "started\n");
        RelayStatusFile.Write(Path.Combine(_home, "status.json"), new RelayStatus { State = RelayState.Stopped, ProcessId = 0 });
        return store;
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void Spool(string folder, params string[] ids)
    {
        foreach (var id in ids)
        {
            Write(Path.Combine(_home, "spool", folder, id + ".msg"), "{\"id\":\"" + id + "\"}\nSubject: test\r\n\r\nbody\r\n");
        }
    }

    [Fact]
    public void Undelivered_messages_keep_the_spool_and_the_profile_store_and_are_counted_without_asking()
    {
        var store = Installed();
        Spool(RelaySpoolContents.QueuedFolder, "q1", "q2");
        Spool(RelaySpoolContents.DeadFolder, "d1");
        Spool(RelaySpoolContents.UnknownFolder, "u1");
        Spool(RelaySpoolContents.DoneFolder, "ok1");
        var uninstaller = new RelayUninstaller();

        var plan = uninstaller.Plan(store, removeSpool: false);
        Assert.Contains($"keep the spool {Path.Combine(_home, "spool")}: 2 queued, 1 dead letter(s), 1 delivery unknown", plan.Description);
        Assert.True(File.Exists(store.ConfigurationPath), "a plan changes nothing");

        var asked = 0;
        var result = uninstaller.Apply(plan, _ => { asked++; return true; });

        Assert.Equal(0, asked);
        Assert.True(result.SpoolKept);
        Assert.Equal((2, 1, 1, 4), (result.Queued, result.DeadLetters, result.DeliveryUnknown, result.Undelivered));
        Assert.Contains("4 message(s) devices were told were accepted", result.SpoolWarning);
        Assert.Contains($"Install-SmtpOAuthRelay -Path '{_home}', then Start-SmtpOAuthRelay", result.SpoolWarning);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_home, "spool", "queued")).Length);
        Assert.True(File.Exists(Path.Combine(_home, "spool", "dead", "d1.msg")));
        Assert.True(File.Exists(Path.Combine(_home, "profiles", "profiles.json")), "the profiles that send the queued messages stay");
        Assert.False(File.Exists(store.ConfigurationPath));
        Assert.False(File.Exists(Path.Combine(_home, "status.json")));
        Assert.False(Directory.Exists(Path.Combine(_home, "logs")));
        Assert.Contains(result.Kept, k => k.StartsWith(Path.Combine(_home, "spool"), StringComparison.Ordinal));
        Assert.Contains(result.Kept, k => k.StartsWith(Path.Combine(_home, "profiles"), StringComparison.Ordinal));
    }

    [Fact]
    public void RemoveSpool_deletes_undelivered_messages_only_when_confirmed_with_the_counts_after_the_stop()
    {
        var store = Installed();
        Spool(RelaySpoolContents.QueuedFolder, "q1");
        var uninstaller = new RelayUninstaller();
        Spool(RelaySpoolContents.SubmittingFolder, "s1"); // arrived after the plan

        var plan = uninstaller.Plan(store, removeSpool: true);
        Assert.Contains("with its 2 undelivered message(s)", plan.Description);
        var refused = uninstaller.Apply(plan, spool => false);
        Assert.True(refused.SpoolKept);
        Assert.Equal(2, refused.Undelivered);
        Assert.Equal(1, refused.DeliveryUnknown);
        Assert.True(Directory.Exists(Path.Combine(_home, "spool", "queued")));

        store = Installed();
        RelaySpoolContents? confirmed = null;
        var result = new RelayUninstaller().Apply(new RelayUninstaller().Plan(store, removeSpool: true), spool => { confirmed = spool; return true; });

        Assert.Equal(2, confirmed!.Undelivered);
        Assert.False(result.SpoolKept);
        Assert.Null(result.SpoolWarning);
        Assert.False(Directory.Exists(_home), "nothing of the relay is left");
        Assert.Empty(result.Kept);
    }

    [Fact]
    public void A_spool_of_delivered_messages_goes_without_asking_and_files_that_are_not_the_relays_stay()
    {
        var store = Installed();
        Spool(RelaySpoolContents.DoneFolder, "ok1", "ok2");
        Write(Path.Combine(_home, "notes.txt"), "the admin's own file");
        Write(Path.Combine(_home, "logs", "my-report.csv"), "the admin's own file");

        var result = new RelayUninstaller().Apply(new RelayUninstaller().Plan(store, removeSpool: false), _ => throw new InvalidOperationException("not asked"));

        Assert.False(result.SpoolKept);
        Assert.False(Directory.Exists(Path.Combine(_home, "spool")));
        Assert.False(Directory.Exists(Path.Combine(_home, "profiles")));
        Assert.True(File.Exists(Path.Combine(_home, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(_home, "logs", "my-report.csv")));
        Assert.False(File.Exists(Path.Combine(_home, "logs", "outcomes.jsonl")));
        Assert.Equal(new[] { "notes.txt", "logs" }.OrderBy(n => n), Directory.EnumerateFileSystemEntries(_home).Select(Path.GetFileName).OrderBy(n => n));
        Assert.Contains(result.Kept, k => k.Contains("not the relay's", StringComparison.Ordinal));
    }

    [Fact]
    public void A_profile_store_outside_the_home_may_be_shared_and_is_kept()
    {
        var outside = Path.Combine(_home + "-profiles");
        try
        {
            var store = Installed(c => c.ProfileStorePath = outside);
            Write(Path.Combine(outside, "profiles.json"), "{}");

            var result = new RelayUninstaller().Apply(new RelayUninstaller().Plan(store, removeSpool: false), _ => true);

            Assert.True(File.Exists(Path.Combine(outside, "profiles.json")));
            Assert.Contains(result.Kept, k => k.StartsWith(outside, StringComparison.Ordinal) && k.Contains("may be shared", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_running_relay_is_stopped_first()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var store = Installed();
        var configuration = store.Load();
        var script = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-uninstall-tests", Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(script, RelayProcessTests.StandInRelay.Replace("\r\n", "\n"));
        try
        {
            var status = new RelayProcess(store) { Timeout = TimeSpan.FromSeconds(20) }.Start(RelayProgram.At("/bin/sh", script), configuration);
            var uninstaller = new RelayUninstaller();

            var plan = uninstaller.Plan(store, removeSpool: false);
            Assert.StartsWith($"stop the relay process {status.ProcessId}", plan.Description, StringComparison.Ordinal);
            var result = uninstaller.Apply(plan, _ => true);

            Assert.True(result.Stopped);
            Assert.False(RelayStatusFile.IsProcessAlive(status.ProcessId));
            Assert.False(File.Exists(store.ConfigurationPath));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void The_service_registration_goes_the_way_it_came()
    {
        Assert.Equal(
            new[] { "systemctl disable --now oauthsmtp-relay.service", "delete /etc/systemd/system/oauthsmtp-relay.service", "systemctl daemon-reload" },
            RelayServiceManager.UninstallSteps(RelayServiceKind.Systemd).Select(s => s.ToString()));
        Assert.Equal(new[] { "sc.exe delete OAuthSmtpRelay" }, RelayServiceManager.UninstallSteps(RelayServiceKind.WindowsService).Select(s => s.ToString()));
        Assert.Empty(RelayServiceManager.UninstallSteps(RelayServiceKind.None));
    }
}
