/* bench-media.c: what each call's audio costs, with 1, 10 and 50 at once
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each simulated call is what the daemon runs for a call's audio: a media
 * WebSocket (OhAriMedia on a libsoup client connection over loopback, as
 * the daemon opens it to Asterisk) and one OhMediaPipeline (slin16, echo
 * cancellation and noise suppression on), wired as OhCallAudio wires them.
 * The microphone is a live 1000 Hz audiotestsrc in 20 ms buffers (what
 * the daemon asks of a sound card) whose frames go back over the socket;
 * the speaker a syncing fakesink.
 *
 * The PBX's side of the sockets runs in a child process (this program
 * again, with --pbx), so that its CPU is not counted: it sends each call a
 * 640-byte frame every 20 ms on a schedule of its own, the calls spread
 * over the 20 ms, and reads what the daemon sends.
 *
 * Prints a Markdown table: CPU of one core per active call (getrusage of
 * this process over the steady part of the run) and the latency added
 * between a frame's arrival (oh_media_pipeline_push_frame(), straight from
 * the socket's read) and the sink; and, apart, how late frames were read
 * against the PBX's schedule. With --no-socket, a timer per call pushes
 * the frames on that schedule instead: the media layer alone.
 *
 *   bench-media [--seconds 10] [--calls 1,10,50] [--mic-ms 20] [--no-dsp]
 *               [--no-socket] [--verbose]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "oh-ari-media.h"
#include "oh-media-pipeline.h"

#define WARMUP_SECONDS 1
#define FRAME_BYTES 640
#define FRAME_US 20000
/* The PBX's schedule starts this long after the last call is set up. */
#define GO_DELAY_US 200000
#define SETUP_TIMEOUT_MS 60000
/* Socket lateness histogram: 0.1 ms buckets up to 100 ms. */
#define LATE_BUCKET_US 100
#define LATE_BUCKETS 1000

static gboolean verbose;

typedef struct {
  guint64 histogram[LATE_BUCKETS + 1];
  guint64 samples;
  gint64 max_us;
} Lateness;

typedef struct _Run Run;

typedef struct {
  Run *run;
  guint index;
  SoupWebsocketConnection *ws;
  OhAriMedia *media;
  OhMediaPipeline *pipeline;
  guint64 frames_out;
  guint64 bad_frames;
  guint64 frames_pushed;
  /* When the PBX sends frame k: start_us + k * FRAME_US; -1 before. */
  gint64 start_us;
  /* Without sockets: pushes the frames on that schedule. */
  GSource *pacer;
  gboolean failed;
} Call;

struct _Run {
  Call *calls;
  guint n_calls;
  guint n_ready;
  guint n_failed;
  OhMediaPipelineFlags flags;
  const char *source_desc;
  GBytes *frame;
  gint64 start_us;
  gboolean measuring;
  Lateness lateness;
};

/* --- the PBX (child process) ------------------------------------------- */

typedef struct {
  SoupWebsocketConnection *ws;
  GBytes *frame;
  GSource *source;
  gint64 start_us;
  guint64 sent;
} Peer;

static guint64 pbx_received;
static guint64 pbx_bad;

static gboolean
ready_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs ready_source_funcs = {
  .dispatch = ready_source_dispatch,
};

static void
peer_free (Peer *peer)
{
  if (peer->source != NULL)
    {
      g_source_destroy (peer->source);
      g_source_unref (peer->source);
    }
  g_signal_handlers_disconnect_by_data (peer->ws, peer);
  g_object_unref (peer->ws);
  g_bytes_unref (peer->frame);
  g_free (peer);
}

/* Each frame on its due time, like chan_websocket's 20 ms pacing; frames
 * that fell due while this process was descheduled go at once. */
static gboolean
on_peer_due (gpointer user_data)
{
  Peer *peer = user_data;
  gint64 now = g_get_monotonic_time ();

  if (soup_websocket_connection_get_state (peer->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_CONTINUE;
  while (peer->start_us + (gint64) peer->sent * FRAME_US <= now)
    {
      soup_websocket_connection_send_message (peer->ws, SOUP_WEBSOCKET_DATA_BINARY, peer->frame);
      peer->sent++;
    }
  g_source_set_ready_time (peer->source, peer->start_us + (gint64) peer->sent * FRAME_US);
  return G_SOURCE_CONTINUE;
}

static void
on_peer_message (SoupWebsocketConnection *ws,
                 gint                     type,
                 GBytes                  *message,
                 Peer                    *peer)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    {
      pbx_received++;
      if (size != FRAME_BYTES)
        pbx_bad++;
      return;
    }

  /* The benchmark's own command, never the daemon's: start the schedule. */
  if (size > 9 && strncmp (data, "BENCH_GO ", 9) == 0 && peer->source == NULL)
    {
      g_autofree char *text = g_strndup (data, size);

      peer->start_us = g_ascii_strtoll (text + 9, NULL, 10);
      peer->source = g_source_new (&ready_source_funcs, sizeof (GSource));
      g_source_set_callback (peer->source, on_peer_due, peer, NULL);
      g_source_attach (peer->source, NULL);
      g_source_set_ready_time (peer->source, peer->start_us);
    }
}

static void
on_peer_closed (SoupWebsocketConnection *ws,
                Peer                    *peer)
{
  peer_free (peer);
}

static void
on_pbx_socket (SoupServer              *server,
               SoupServerMessage       *msg,
               const char              *path,
               SoupWebsocketConnection *ws,
               gpointer                 user_data)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->ws = g_object_ref (ws);
  peer->frame = g_bytes_ref (user_data);
  g_signal_connect (ws, "message", G_CALLBACK (on_peer_message), peer);
  g_signal_connect (ws, "closed", G_CALLBACK (on_peer_closed), peer);
  /* As the recorded Asterisk says it, with transport_data=f(json). */
  soup_websocket_connection_send_text (ws, "{\"event\": \"MEDIA_START\", "
                                           "\"connection_id\": \"bench\", "
                                           "\"channel_id\": \"bench\", "
                                           "\"format\": \"slin16\", "
                                           "\"optimal_frame_size\": 640, \"ptime\": 20}");
}

static gboolean
on_parent_gone (gint         fd,
                GIOCondition condition,
                gpointer     user_data)
{
  char buffer[64];

  if ((condition & G_IO_IN) && read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static GBytes *make_tone_frame (void);

/* Serves /media/<anything> on a loopback port it prints; runs until its
 * stdin closes. */
static int
run_pbx (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) frame = make_tone_frame ();
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_websocket_handler (server, "/media", NULL, NULL, on_pbx_socket,
                                     g_bytes_ref (frame), (GDestroyNotify) g_bytes_unref);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("pbx: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  g_print ("%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_parent_gone, loop);
  g_main_loop_run (loop);
  if (verbose || pbx_bad > 0)
    g_printerr ("pbx: received %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " bad\n",
                pbx_received, pbx_bad);
  return pbx_bad > 0 ? 1 : 0;
}

/* --- the daemon's side ----------------------------------------------- */

static void
lateness_add (Lateness *lateness,
              gint64    late_us)
{
  late_us = MAX (late_us, 0);
  lateness->histogram[MIN (late_us / LATE_BUCKET_US, LATE_BUCKETS)]++;
  lateness->samples++;
  lateness->max_us = MAX (lateness->max_us, late_us);
}

static double
lateness_percentile (const Lateness *lateness,
                     double          fraction)
{
  guint64 wanted = MAX ((guint64) (lateness->samples * fraction + 0.5), 1);
  guint64 seen = 0;

  if (lateness->samples == 0)
    return 0;
  for (guint i = 0; i <= LATE_BUCKETS; i++)
    {
      seen += lateness->histogram[i];
      if (seen >= wanted)
        return (i + 0.5) * LATE_BUCKET_US / 1000.0;
    }
  return lateness->max_us / 1000.0;
}

/* Captured frames go to the PBX, as OhCallAudio sends them. */
static void
on_frame (const guint8 *data,
          gsize         len,
          gpointer      user_data)
{
  Call *call = user_data;

  call->frames_out++;
  if (len != FRAME_BYTES)
    call->bad_frames++;
  if (call->media != NULL)
    oh_ari_media_send_frame (call->media, data, len);
}

static gboolean
start_pipeline (Call *call)
{
  g_autoptr(GError) error = NULL;
  OhMediaFormat format;

  if (!oh_media_format_init (&format, "slin16", FRAME_BYTES, 20, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  call->pipeline = oh_media_pipeline_new_full (&format, call->run->source_desc,
                                               "fakesink sync=true", call->run->flags, &error);
  if (call->pipeline == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  oh_media_pipeline_set_frame_func (call->pipeline, on_frame, call, NULL);
  return TRUE;
}

static void
on_media_started (OhAriMedia *media,
                  const char *format_name,
                  guint       frame_size,
                  guint       ptime,
                  Call       *call)
{
  if (call->pipeline != NULL)
    return;
  if (!start_pipeline (call))
    {
      call->failed = TRUE;
      call->run->n_failed++;
      return;
    }
  call->run->n_ready++;
}

static void
on_media_frame (OhAriMedia *media,
                GBytes     *frame,
                Call       *call)
{
  if (call->start_us >= 0 && call->run->measuring)
    lateness_add (&call->run->lateness,
                  g_get_monotonic_time () -
                    (call->start_us + (gint64) call->frames_pushed * FRAME_US));
  call->frames_pushed++;
  if (call->pipeline != NULL)
    oh_media_pipeline_push_frame (call->pipeline, frame);
}

static void
on_socket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;

  call->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (call->ws == NULL)
    {
      g_printerr ("Call %u: %s\n", call->index, error->message);
      call->failed = TRUE;
      call->run->n_failed++;
      return;
    }
  call->media = oh_ari_media_new (call->ws, TRUE);
  g_signal_connect (call->media, "started", G_CALLBACK (on_media_started), call);
  g_signal_connect (call->media, "frame", G_CALLBACK (on_media_frame), call);
}

/* Without sockets: each call's frames on the schedule the PBX would keep,
 * from a timer of its own (one timer for all would wake the main loop once
 * for several calls, which frames from a socket do not). */
static gboolean
on_call_due (gpointer user_data)
{
  Call *call = user_data;
  gint64 now = g_get_monotonic_time ();

  while (call->start_us + (gint64) call->frames_pushed * FRAME_US <= now)
    {
      oh_media_pipeline_push_frame (call->pipeline, call->run->frame);
      call->frames_pushed++;
    }
  g_source_set_ready_time (call->pacer, call->start_us + (gint64) call->frames_pushed * FRAME_US);
  return G_SOURCE_CONTINUE;
}

static void
start_pacers (Run *run)
{
  gint64 go = g_get_monotonic_time () + GO_DELAY_US;

  for (guint i = 0; i < run->n_calls; i++)
    {
      Call *call = &run->calls[i];

      call->start_us = go + (gint64) i * FRAME_US / run->n_calls;
      call->pacer = g_source_new (&ready_source_funcs, sizeof (GSource));
      g_source_set_callback (call->pacer, on_call_due, call, NULL);
      g_source_attach (call->pacer, NULL);
      g_source_set_ready_time (call->pacer, call->start_us);
    }
  run->start_us = go;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_main_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static GBytes *
make_tone_frame (void)
{
  guint8 *data = g_malloc (FRAME_BYTES);

  /* 500 Hz: ten whole cycles per 20 ms frame, so repeating it is seamless. */
  for (guint i = 0; i < FRAME_BYTES / 2; i++)
    {
      gint16 value = (gint16) (8000 * sin (2 * G_PI * 500 * i / 16000.0));

      data[2 * i] = (guint8) (value & 0xff);
      data[2 * i + 1] = (guint8) ((value >> 8) & 0xff);
    }
  return g_bytes_new_take (data, FRAME_BYTES);
}

/* Opens every call's socket on @port and waits until each has its
 * pipeline, then starts the PBX's schedules, spread over one frame. */
static gboolean
connect_calls (Run         *run,
               SoupSession *session,
               int          port)
{
  gint64 deadline = g_get_monotonic_time () + SETUP_TIMEOUT_MS * 1000;
  gint64 go;

  for (guint i = 0; i < run->n_calls; i++)
    {
      g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%d/media/bench-%u", port, i);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_socket_connected, &run->calls[i]);
    }
  while (run->n_ready + run->n_failed < run->n_calls && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (run->n_ready < run->n_calls)
    {
      g_printerr ("Only %u of %u calls were set up\n", run->n_ready, run->n_calls);
      return FALSE;
    }

  go = g_get_monotonic_time () + GO_DELAY_US;
  for (guint i = 0; i < run->n_calls; i++)
    {
      g_autofree char *command = NULL;

      run->calls[i].start_us = go + (gint64) i * FRAME_US / run->n_calls;
      command = g_strdup_printf ("BENCH_GO %" G_GINT64_FORMAT, run->calls[i].start_us);
      soup_websocket_connection_send_text (run->calls[i].ws, command);
    }
  run->start_us = go;
  return TRUE;
}

static void
clear_calls (Call        *calls,
             guint        n_calls,
             SoupSession *session)
{
  for (guint i = 0; i < n_calls; i++)
    {
      if (calls[i].pacer != NULL)
        g_source_destroy (calls[i].pacer);
      g_clear_pointer (&calls[i].pacer, g_source_unref);
      g_clear_object (&calls[i].pipeline);
      g_clear_object (&calls[i].media);
      g_clear_object (&calls[i].ws);
    }
  if (session != NULL)
    soup_session_abort (session);
  /* Lets the close frames go, so the PBX's side lets go of its sockets. */
  run_main_loop_for (100);
}

static gboolean
bench (guint                 n_calls,
       guint                 seconds,
       OhMediaPipelineFlags  flags,
       const char           *source_desc,
       int                   port,
       GString              *table)
{
  g_autoptr(GBytes) frame = make_tone_frame ();
  g_autofree Call *calls = g_new0 (Call, n_calls);
  g_autofree double *p50s = g_new0 (double, n_calls);
  g_autofree double *p99s = g_new0 (double, n_calls);
  g_autofree Run *run = g_new0 (Run, 1);
  g_autoptr(SoupSession) session = NULL;
  double cpu_start, cpu_end, wall, max_p99 = 0, max_latency = 0;
  gint64 wall_start;
  guint64 frames_out_start = 0, frames_out = 0, bad_frames = 0, dropped = 0, pushed = 0, failed = 0;
  gboolean ok = TRUE;

  run->calls = calls;
  run->n_calls = n_calls;
  run->flags = flags;
  run->source_desc = source_desc;
  run->frame = frame;
  for (guint i = 0; i < n_calls; i++)
    {
      calls[i].run = run;
      calls[i].index = i;
      calls[i].start_us = -1;
    }

  if (port > 0)
    {
      session = soup_session_new ();
      ok = connect_calls (run, session, port);
    }
  else
    {
      for (guint i = 0; i < n_calls && ok; i++)
        ok = start_pipeline (&calls[i]);
      if (ok)
        start_pacers (run);
    }
  if (!ok)
    {
      clear_calls (calls, n_calls, session);
      return FALSE;
    }

  run_main_loop_for ((guint) (MAX (run->start_us - g_get_monotonic_time (), 0) / 1000) +
                     WARMUP_SECONDS * 1000);

  run->measuring = TRUE;
  for (guint i = 0; i < n_calls; i++)
    frames_out_start += calls[i].frames_out;
  cpu_start = cpu_seconds ();
  wall_start = g_get_monotonic_time ();
  run_main_loop_for (seconds * 1000);
  cpu_end = cpu_seconds ();
  wall = (g_get_monotonic_time () - wall_start) / 1e6;
  run->measuring = FALSE;

  for (guint i = 0; i < n_calls; i++)
    {
      OhMediaStats stats;

      oh_media_pipeline_get_stats (calls[i].pipeline, &stats);
      p50s[i] = stats.latency_p50_ms;
      if (verbose)
        g_printerr ("  call %u: latency p50 %.1f p99 %.1f max %.1f ms; in %" G_GUINT64_FORMAT
                    ", played %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                    "; out %" G_GUINT64_FORMAT "\n",
                    i, stats.latency_p50_ms, stats.latency_p99_ms, stats.latency_max_ms,
                    stats.frames_in, stats.frames_played, stats.frames_dropped, stats.frames_out);
      p99s[i] = stats.latency_p99_ms;
      max_p99 = MAX (max_p99, stats.latency_p99_ms);
      max_latency = MAX (max_latency, stats.latency_max_ms);
      frames_out += calls[i].frames_out;
      bad_frames += calls[i].bad_frames;
      dropped += stats.frames_dropped;
      pushed += calls[i].frames_pushed;
      if (oh_media_pipeline_get_audio_state (calls[i].pipeline) != OH_MEDIA_AUDIO_STATE_FLOWING ||
          (port > 0 && !oh_ari_media_is_open (calls[i].media)))
        failed++;
    }
  qsort (p50s, n_calls, sizeof *p50s, compare_doubles);
  qsort (p99s, n_calls, sizeof *p99s, compare_doubles);

  g_string_append_printf (table,
                          "| %u | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %" G_GUINT64_FORMAT
                          " | %" G_GUINT64_FORMAT " | ",
                          n_calls, 100 * (cpu_end - cpu_start) / wall,
                          100 * (cpu_end - cpu_start) / wall / n_calls, p50s[n_calls / 2],
                          p99s[n_calls / 2], max_p99, max_latency,
                          (double) (frames_out - frames_out_start) / n_calls / wall,
                          pushed ? 100.0 * dropped / pushed : 0, bad_frames, failed);
  if (port > 0)
    g_string_append_printf (table, "%.1f / %.1f / %.1f |\n",
                            lateness_percentile (&run->lateness, 0.5),
                            lateness_percentile (&run->lateness, 0.99),
                            run->lateness.max_us / 1000.0);
  else
    g_string_append (table, "- |\n");

  clear_calls (calls, n_calls, session);
  return TRUE;
}

/* Starts the PBX's side; returns its port, or 0. */
static int
spawn_pbx (GSubprocess **pbx)
{
  const char *argv[] = { "/proc/self/exe", "--pbx", verbose ? "--verbose" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  *pbx = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  if (*pbx == NULL)
    {
      g_printerr ("Cannot start the PBX side: %s\n", error->message);
      return 0;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*pbx));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL)
    {
      g_printerr ("The PBX side did not start%s%s\n", error ? ": " : "",
                  error ? error->message : "");
      return 0;
    }
  return atoi (line);
}

int
main (int   argc,
      char *argv[])
{
  guint seconds = 10;
  guint mic_ms = 20;
  g_autofree char *calls_arg = NULL;
  gboolean no_dsp = FALSE;
  gboolean no_socket = FALSE;
  gboolean pbx_mode = FALSE;
  g_auto(GStrv) counts = NULL;
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) pbx = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *source_desc = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Measured seconds per run", "N" },
    { "calls", 'c', 0, G_OPTION_ARG_STRING, &calls_arg, "Simultaneous calls per run",
      "1,10,50" },
    { "mic-ms", 0, 0, G_OPTION_ARG_INT, &mic_ms,
      "Milliseconds per microphone buffer (the daemon asks a sound card for one frame, 20)", "MS" },
    { "no-dsp", 0, 0, G_OPTION_ARG_NONE, &no_dsp, "No echo cancellation", NULL },
    { "no-socket", 0, 0, G_OPTION_ARG_NONE, &no_socket,
      "Push the frames from a timer per call, on the PBX's schedule, instead of a socket",
      NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print each call's figures", NULL },
    { "pbx", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &pbx_mode, NULL, NULL },
    { NULL }
  };

  /* The PBX's side needs no GStreamer: parse without its options. */
  if (argc >= 2 && g_str_equal (argv[1], "--pbx"))
    {
      verbose = argc >= 3 && g_str_equal (argv[2], "--verbose");
      return run_pbx ();
    }

  context = g_option_context_new ("- benchmark the call audio pipeline");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (mic_ms == 0 || mic_ms > 1000)
    {
      g_printerr ("--mic-ms must be between 1 and 1000\n");
      return 2;
    }
  counts = g_strsplit (calls_arg ? calls_arg : "1,10,50", ",", -1);
  source_desc = g_strdup_printf ("audiotestsrc is-live=true freq=1000 wave=sine "
                                 "samplesperbuffer=%u",
                                 16 * mic_ms);

  {
    g_autofree char *cpuinfo = NULL;

    if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
      {
        const char *line = strstr (cpuinfo, "model name");
        const char *colon = line ? strchr (line, ':') : NULL;

        if (colon != NULL)
          cpu = g_strndup (colon + 2, strcspn (colon + 2, "\n"));
      }
  }

  if (!no_socket && (port = spawn_pbx (&pbx)) <= 0)
    return 1;

  g_print ("Call audio: slin16 20 ms frames %s, %s, microphone buffers of %u ms; %u s "
           "measured after %u s warm-up; %s, %u cores; %s.\n\n",
           no_socket ? "pushed from a timer per call (no socket)"
                     : "over a loopback media WebSocket",
           no_dsp ? "no DSP" : "echo cancellation + noise suppression", mic_ms, seconds,
           WARMUP_SECONDS, cpu ? cpu : "unknown CPU", g_get_num_processors (),
           gst_version_string ());
  g_string_append (table, "| calls | CPU % of one core | CPU % per call | latency p50 (ms) | "
                          "p99, median call (ms) | p99, worst call (ms) | max (ms) | "
                          "frames out /s per call | incoming dropped % | bad frames | "
                          "calls not flowing | socket read late p50 / p99 / max (ms) |\n");
  g_string_append (table, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                          "| ---: | ---: |\n");

  for (guint i = 0; counts[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (counts[i], NULL, 10);

      if (n == 0)
        continue;
      g_printerr ("%u calls...\n", n);
      if (!bench (n, seconds, no_dsp ? OH_MEDIA_PIPELINE_FLAGS_NO_DSP : 0, source_desc, port,
                  table))
        return 1;
    }

  g_print ("%s", table->str);

  if (pbx != NULL)
    {
      g_output_stream_close (g_subprocess_get_stdin_pipe (pbx), NULL, NULL);
      if (!g_subprocess_wait_check (pbx, NULL, &error))
        {
          g_printerr ("The PBX side: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}
