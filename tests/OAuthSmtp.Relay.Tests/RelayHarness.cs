using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Relay.Configuration;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// One relay home per test (its own folder: configuration, profile store, spool, logs, status), the relay started as
/// a real process (dotnet OAuthSmtp.Relay.dll run --config ...), stopped with SIGTERM or killed with SIGKILL.
/// Profiles "alerts", "sales" and "adele" send as the emulator's three mailboxes.
/// </summary>
public sealed class RelayHarness : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private Process? _process;

    public RelayHarness(ScenarioInfo tenant, ITestOutputHelper output)
    {
        Tenant = tenant;
        _output = output;
        Home = Directory.CreateTempSubdirectory("oauthsmtp-relay-test-").FullName;
        ProfileStorePath = Path.Combine(Home, "profiles");
        Directory.CreateDirectory(ProfileStorePath);
        var store = new ProfileStore(ProfileStorePath);
        foreach (var (name, mailbox) in Mailboxes)
        {
            var profile = new SmtpOAuthProfile
            {
                Name = name,
                TenantId = tenant.TenantId.ToString(),
                ClientId = tenant.ClientId!.Value,
                CredentialKind = CredentialKind.ClientSecret,
                Mailbox = mailbox,
                AuthorityHost = tenant.AuthorityHost,
                SmtpServer = tenant.SmtpServer,
                Port = tenant.SmtpPort,
                AllowNonMicrosoftHost = true,
                Overrides = ProfileOverrides.SmtpServer | ProfileOverrides.Port | ProfileOverrides.AuthorityHost,
            };
            using var secret = new SecretMaterial(Secure(tenant.ClientSecret!), allowUnprotectedStorage: true);
            store.SaveProfile(profile, secret, overwrite: true);
        }
    }

    public ScenarioInfo Tenant { get; }

    public string Home { get; }

    public string ProfileStorePath { get; }

    public string ConfigPath => Path.Combine(Home, RelaySettingsFile.DefaultFileName);

    public string SpoolPath => Path.Combine(Home, "spool");

    public string LogPath => Path.Combine(Home, "logs");

    public string StatusPath => Path.Combine(Home, "status.json");

    public IEnumerable<(string Name, string Mailbox)> Mailboxes => new[] { ("alerts", Tenant.Mailbox), ("sales", Tenant.SharedMailbox), ("adele", Tenant.DelegatedUser) };

    public int Port { get; private set; }

    /// <summary>
    /// The relay as its own build made it (src/OAuthSmtp.Relay/bin/&lt;configuration&gt;/net10.0, with all its
    /// dependencies), in the configuration these tests were built in.
    /// </summary>
    public static string RelayAssembly
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testBin.Parent!.Name;
            var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(root, "src", "OAuthSmtp.Relay", "bin", configuration, testBin.Name, "OAuthSmtp.Relay.dll");
            return File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, "OAuthSmtp.Relay.dll");
        }
    }

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Writes relay.json: loopback on a free port, fast retries, and the given devices.</summary>
    public void Configure(IEnumerable<JsonObject> devices, Action<JsonObject>? adjust = null)
    {
        var limits = new JsonObject
        {
            ["maxAuthFailures"] = 3,
            ["authLockoutSeconds"] = 600,
            ["firstRetryDelaySeconds"] = 0.2,
            ["maxRetryDelaySeconds"] = 1,
            ["messagesPerMinutePerMailbox"] = 0,
        };
        var config = new JsonObject
        {
            ["listen"] = new JsonArray("127.0.0.1:0"),
            ["profileStorePath"] = ProfileStorePath,
            ["limits"] = limits,
            ["devices"] = new JsonArray(devices.Select(d => (JsonNode)d).ToArray()),
        };
        adjust?.Invoke(config);
        var temporary = ConfigPath + ".tmp";
        File.WriteAllText(temporary, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, ConfigPath, overwrite: true);
    }

    /// <summary>A device as relay.json holds it; with a password, only its verifier is written.</summary>
    public static JsonObject Device(string name, string profile, string? userName = null, string? password = null, IEnumerable<string>? sources = null, IEnumerable<string>? allowedSenders = null, IEnumerable<string>? recipientDomains = null, string? fromRewrite = null, int? maxMessageBytes = null)
    {
        var device = new JsonObject { ["name"] = name, ["profile"] = profile };
        if (userName is not null)
        {
            device["userName"] = userName;
            device["credentialVerifier"] = DeviceCredentialVerifier.Create(password!);
        }

        if (sources is not null)
        {
            device["sources"] = new JsonArray(sources.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }

        if (allowedSenders is not null)
        {
            device["allowedSenders"] = new JsonArray(allowedSenders.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }

        if (recipientDomains is not null)
        {
            device["recipientDomains"] = new JsonArray(recipientDomains.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }

        if (fromRewrite is not null)
        {
            device["fromRewrite"] = fromRewrite;
        }

        if (maxMessageBytes is not null)
        {
            device["maxMessageBytes"] = maxMessageBytes;
        }

        return device;
    }

    public async Task StartAsync()
    {
        if (File.Exists(StatusPath))
        {
            File.Delete(StatusPath);
        }

        var relay = RelayAssembly;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(relay);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Log("relay: " + e.Data);
        process.ErrorDataReceived += (_, e) => Log("relay!: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The relay exited with code {process.ExitCode} before it listened.");
            }

            var status = TryReadStatus();
            if (status?["Listening"] is JsonArray { Count: > 0 } listening)
            {
                Port = IPEndPoint.Parse(listening[0]!.GetValue<string>()).Port;
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The relay did not report a listening endpoint within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown code runs, as with a power cut of the process.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM and wait for the graceful stop (what systemd does).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public JsonNode? TryReadStatus()
    {
        try
        {
            return File.Exists(StatusPath) ? JsonNode.Parse(File.ReadAllText(StatusPath)) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until the condition on status.json holds (the relay rewrites it every second).</summary>
    public async Task<JsonNode> WaitForStatusAsync(Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = TryReadStatus();
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("status.json never met the condition; last: " + last?.ToJsonString());
    }

    public IReadOnlyList<JsonNode> Outcomes()
    {
        var path = Path.Combine(LogPath, "outcomes.jsonl");
        if (!File.Exists(path))
        {
            return Array.Empty<JsonNode>();
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
    }

    public async Task<IReadOnlyList<JsonNode>> WaitForOutcomesAsync(Func<IReadOnlyList<JsonNode>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var outcomes = Outcomes();
            if (condition(outcomes))
            {
                return outcomes;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The outcome log never met the condition:\n" + string.Join("\n", outcomes.Select(o => o.ToJsonString())));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Files in one spool state folder (dead, unknown, queued, done...).</summary>
    public string[] SpoolFiles(string state, string pattern = "*.msg") =>
        Directory.Exists(Path.Combine(SpoolPath, state)) ? Directory.GetFiles(Path.Combine(SpoolPath, state), pattern) : Array.Empty<string>();

    /// <summary>The bytes of a spool file after its envelope line: the message as the device handed it over.</summary>
    public static byte[] SpooledContent(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        return bytes[(newline + 1)..];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                await StopAsync();
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process?.Dispose();
        DumpForDiagnosis();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The relay's own account of the test, in the test's output (read when a test fails).</summary>
    private void DumpForDiagnosis()
    {
        foreach (var file in new[] { Path.Combine(LogPath, "outcomes.jsonl"), StatusPath }.Concat(Directory.Exists(LogPath) ? Directory.GetFiles(LogPath, "outbound-*.log") : Array.Empty<string>()))
        {
            if (File.Exists(file))
            {
                var text = File.ReadAllText(file);
                Log($"--- {Path.GetFileName(file)} ---\n" + (text.Length > 6000 ? text[^6000..] : text));
            }
        }
    }

    private void Log(string? line)
    {
        try
        {
            _output.WriteLine(line ?? string.Empty);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; the relay's late lines have nowhere to go.
        }
    }

    private static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
