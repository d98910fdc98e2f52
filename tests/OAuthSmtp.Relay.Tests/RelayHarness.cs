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
using OAuthSmtp.Engine.Relay;
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
    private int _listenCount = 1;

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

    public string ConfigPath => Path.Combine(Home, RelayConfigurationStore.FileName);

    public string SpoolPath => Path.Combine(Home, "spool");

    public string LogPath => Path.Combine(Home, "logs");

    public string StatusPath => Path.Combine(Home, "status.json");

    public IEnumerable<(string Name, string Mailbox)> Mailboxes => new[] { ("alerts", Tenant.Mailbox), ("sales", Tenant.SharedMailbox), ("adele", Tenant.DelegatedUser) };

    public int Port { get; private set; }

    /// <summary>Every endpoint the relay listens on, as its status reports them.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = Array.Empty<IPEndPoint>();

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

    /// <summary>
    /// Writes relay.json through the engine's store (as Install-SmtpOAuthRelay does): loopback on a free port, fast
    /// retries, no pacing, and the given devices; <paramref name="adjust"/> changes anything else.
    /// </summary>
    public void Configure(IEnumerable<RelayClient> devices, Action<RelayConfiguration>? adjust = null)
    {
        var configuration = RelayConfiguration.CreateDefault(Home, FreePort());
        configuration.Listeners.RemoveAll(l => l.Address == IPAddress.IPv6Loopback.ToString());
        configuration.ProfileStorePath = ProfileStorePath;
        configuration.Limits.AuthFailuresBeforeLockout = 3;
        configuration.Limits.LockoutSeconds = 600;
        configuration.Limits.FirstRetrySeconds = 1;
        configuration.Limits.MaxRetrySeconds = 1;
        configuration.Limits.MessagesPerMinutePerMailbox = 0;
        configuration.Clients.AddRange(devices);
        adjust?.Invoke(configuration);
        _listenCount = configuration.Listeners.Count;
        new RelayConfigurationStore(Home).Create(configuration, overwrite: true);
    }

    /// <summary>Changes relay.json through the engine's store while the relay runs (as Add-SmtpOAuthRelayClient does).</summary>
    public void Update(Action<RelayConfiguration> change) => new RelayConfigurationStore(Home).Update(change);

    /// <summary>A device as Add-SmtpOAuthRelayClient stores it; with a password, only its verifier.</summary>
    public RelayClient Device(string name, string profile, string? password = null, IEnumerable<string>? sources = null, IEnumerable<string>? allowedSenders = null, IEnumerable<string>? recipientDomains = null, bool rewriteFrom = false, long? maxMessageBytes = null, string? mailbox = null)
    {
        var device = new RelayClient
        {
            Name = name,
            UserName = name,
            Profile = profile,
            Mailbox = mailbox ?? Mailboxes.Single(m => m.Name == profile).Mailbox,
            RewriteFrom = rewriteFrom,
            MaxMessageBytes = maxMessageBytes,
            CreatedOn = DateTimeOffset.UtcNow,
        };
        if (password is not null)
        {
            // The fewest iterations the store accepts: the tests log in hundreds of times on a shared machine.
            device.Credential = RelayCredentialVerifier.Create(password, RelayCredentialVerifier.MinimumIterations);
        }

        device.AllowedSources.AddRange(sources ?? Array.Empty<string>());
        device.AllowedSenders.AddRange(allowedSenders ?? Array.Empty<string>());
        device.AllowedRecipientDomains.AddRange(recipientDomains ?? Array.Empty<string>());
        return device;
    }

    /// <summary>A port nobody listens on now (the relay's validator wants 1-65535, not 0).</summary>
    public static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async Task StartAsync()
    {
        Log("starting the relay");
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

        var deadline = DateTime.UtcNow + Ceiling(TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The relay exited with code {process.ExitCode} before it listened.");
            }

            var status = TryReadStatus();
            if (status?["state"]?.GetValue<string>() == "Running" && status["listeners"] is JsonArray listening && listening.Count >= _listenCount)
            {
                Endpoints = listening.Select(l => IPEndPoint.Parse(l!.GetValue<string>())).ToList();
                Port = Endpoints.First(e => IPAddress.IsLoopback(e.Address)).Port;
                Log("relay listening on port " + Port);
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The relay did not report a listening endpoint within {Ceiling(TimeSpan.FromSeconds(60)).TotalSeconds:0} s.");
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

    /// <summary>
    /// The shortest ceiling of a wait for a condition: the ceilings only turn a condition that never comes into a
    /// failure, and a relay process on a busy CI machine (2 cores, several test runs) can take far longer than the 10 s
    /// a test may name. A wait that succeeds returns as soon as the condition holds, so a long ceiling costs nothing.
    /// </summary>
    public static readonly TimeSpan MinimumCeiling = TimeSpan.FromMinutes(2);

    /// <summary>The ceiling a wait uses: what the test asked for, but never less than <see cref="MinimumCeiling"/>.</summary>
    public static TimeSpan Ceiling(TimeSpan asked) => asked < MinimumCeiling ? MinimumCeiling : asked;

    /// <summary>Waits until the condition on status.json holds (the relay rewrites it every second).</summary>
    public async Task<JsonNode> WaitForStatusAsync(Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + Ceiling(timeout);
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
        var deadline = DateTime.UtcNow + Ceiling(timeout);
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
        Log("stopping the relay");
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
            _output.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " " + line);
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
