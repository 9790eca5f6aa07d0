using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>
/// Free loopback ports for one test run, so the platform under test never clashes with a
/// developer's <c>./platform run</c> (fixed ports) or with another test run.
/// </summary>
public sealed record LocalPorts(int Postgres, int RabbitMq, int Redis, int Smtp, int SmtpWeb, int Gateway)
{
    public static LocalPorts Pick()
    {
        var held = new List<TcpListener>();
        try
        {
            int Next(Func<int, bool>? alsoFree = null)
            {
                while (true)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    held.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (alsoFree is null || alsoFree(port))
                    {
                        return port;
                    }
                }
            }

            // scripts/local/rabbitmq-env.sh puts Erlang distribution on PORT+10000 (PORT-30000 from 55000 up).
            static int DistributionPort(int port) => port + 10000 < 65000 ? port + 10000 : port - 30000;

            return new LocalPorts(
                Postgres: Next(),
                RabbitMq: Next(port => IsFree(DistributionPort(port))),
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
