using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class SignInReachabilityTests
{
    private static SignInSession Console(bool terminal) => new() { HostName = "ConsoleHost", HasTerminal = terminal };

    [Fact]
    public void Pwsh_at_a_terminal_can_sign_in()
    {
        Assert.Null(SignInReachability.WhyNobodyCanSignIn(Console(terminal: true)));
    }

    [Fact]
    public void Pwsh_without_a_terminal_as_cron_and_systemd_run_it_cannot()
    {
        var why = SignInReachability.WhyNobodyCanSignIn(Console(terminal: false));

        Assert.NotNull(why);
        Assert.Contains("without a terminal", why);
        Assert.Contains("cron", why);
    }

    [Fact]
    public void Other_hosts_show_the_code_in_their_own_window_whatever_the_terminal()
    {
        Assert.Null(SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "Visual Studio Code Host", HasTerminal = false }));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void The_environment_variable_forces_nobody(string value, bool refused)
    {
        var why = SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "ConsoleHost", ForceNonInteractive = value });

        Assert.Equal(refused, why is not null);
    }

    [Fact]
    public void NonInteractive_services_hostless_runspaces_jobs_and_remoting_cannot()
    {
        Assert.Contains("-NonInteractive", SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "ConsoleHost", StartedNonInteractive = true }));
        Assert.Contains("service", SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "ConsoleHost", UserInteractive = false }));
        Assert.Contains("no user interface", SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "X", HostHasUserInterface = false }));
        Assert.Contains("Default Host", SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "Default Host" }));
        Assert.Contains("ServerRemoteHost", SignInReachability.WhyNobodyCanSignIn(new SignInSession { HostName = "ServerRemoteHost" }));
    }
}
