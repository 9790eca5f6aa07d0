using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>
/// Free loopback ports for one test run, so the platform under test never clashes with a
/// developer's <c>./platform run</c> (fixed ports) or with another test run.
/// </summary>
/// <remarks>
/// Picked below the kernel's ephemeral range: the servers bind them seconds later, and a port of that range freed by the
/// picking can meanwhile be handed to anyone binding port 0 or connecting out (DCP and the services starting). smtp4dev
/// then served its web API but not SMTP, and every email of the run waited for a relay that never came.
/// </remarks>
public sealed record LocalPorts(int Postgres, int RabbitMq, int Redis, int Smtp, int SmtpWeb, int Gateway)
{
    private const int Lowest = 20000;

    public static LocalPorts Pick()
    {
        var held = new List<TcpListener>();
        var below = EphemeralRangeStart();
        try
        {
            int Next(Func<int, bool>? alsoFree = null)
            {
                for (var tries = 0; tries < 10_000; tries++)
                {
                    var port = Random.Shared.Next(Lowest, below);
                    if (held.Any(listener => ((IPEndPoint)listener.LocalEndpoint).Port == port) || (alsoFree is not null && !alsoFree(port)))
                    {
                        continue;
                    }

                    try
                    {
                        var listener = new TcpListener(IPAddress.Loopback, port);
                        listener.Start();
                        held.Add(listener);
                        return port;
                    }
                    catch (SocketException)
                    {
                        // Taken: try another.
                    }
                }

                throw new InvalidOperationException($"No free port between {Lowest} and {below}.");
            }

            return new LocalPorts(
                Postgres: Next(),
                RabbitMq: Next(port => DistributionPort(port) is var distribution && distribution < below
                    && held.All(listener => ((IPEndPoint)listener.LocalEndpoint).Port != distribution) && IsFree(distribution)),
                Redis: Next(),
                Smtp: Next(),
                SmtpWeb: Next(),
                Gateway: Next());
        }
        finally
        {
            held.ForEach(listener => listener.Stop());
        }
    }

    /// <summary>The first port the kernel hands out for port 0 and outgoing connections (32768 unless configured).</summary>
    private static int EphemeralRangeStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(RangeFile) && int.TryParse(File.ReadAllText(RangeFile).Split('\t', ' ')[0], out var start) && start > Lowest + 1000 ? start : 32768;
    }

    /// <summary>Where scripts/local/rabbitmq-env.sh puts Erlang distribution: PORT+10000 (PORT-30000 from 55000 up).</summary>
    public static int DistributionPort(int port) => port + 10000 < 65000 ? port + 10000 : port - 30000;

    private static bool IsFree(int port)
    {
        if (port is <= 1024 or > 65535)
        {
            return false;
        }
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
