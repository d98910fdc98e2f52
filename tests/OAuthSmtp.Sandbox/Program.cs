using System;
using System.IO;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Emulator.Scenarios;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Sandbox;

/// <summary>
/// The README's "try it": an emulated Exchange Online tenant, the laid-out module and the emulator's admin and
/// control modules in one PowerShell session. No arguments: the admin's story. -Command / -File: your own PowerShell.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SandboxArguments arguments;
        try
        {
            arguments = SandboxArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(SandboxArguments.Usage);
            return 2;
        }

        if (arguments.ShowHelp)
        {
            Console.WriteLine(SandboxArguments.Usage);
            return 0;
        }

        var home = TestEnvironment.UseIsolatedHome();
        // Changes take half a second to reach SMTP, so the demo's -Fix -Wait waits as it would in a real tenant, only
        // briefly (Set-EmuPropagationDelay -Realistic for the real waits).
        await using var emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = OAuthSmtp.Emulator.Model.PropagationDefaults.Quick });
        emulator.CertificateAuthority.TrustInCurrentUserRootStore();
        emulator.Reset(Scenario.Fresh);

        // Profiles made in the sandbox stay in the sandbox.
        var profileHome = Path.Combine(home, "oauthsmtp-profiles");
        Directory.CreateDirectory(profileHome);
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", profileHome);

        var options = PowerShellSessionOptions.WithOAuthSmtp();
        options.Modules.Add(EmulatorModules.ExchangeModulePath);
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables["OAuthSmtpEmulator"] = emulator;
        options.Echo = Console.Out;
        options.AnsiRendering = !Console.IsOutputRedirected;
        using var session = new PowerShellSession(options);

        var start = session.Run(SandboxScripts.Prepare(arguments.Verbose));
        if (start.HadTerminatingError)
        {
            Console.Error.WriteLine("The sandbox could not prepare its session: " + start.ErrorText);
            return 1;
        }

        if (arguments.Command is not null || arguments.File is not null)
        {
            var script = arguments.Command ?? File.ReadAllText(arguments.File!);
            return session.Run(script, render: true).HadTerminatingError ? 1 : 0;
        }

        // As at a prompt: each step is its own pipeline, so each result gets its own view.
        foreach (var step in SandboxScripts.DemonstrationSteps())
        {
            if (session.Run(step, render: true).HadTerminatingError)
            {
                return 1;
            }
        }

        return 0;
    }
}
