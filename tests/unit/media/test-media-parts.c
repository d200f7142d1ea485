/* test-media-parts.c: the media layer's parts on their own: frame formats,
 * the jitter buffer's policy, latency figures, cutting captured audio
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gst/gst.h>

#include "oh-error.h"
#include "oh-media-format.h"
#include "oh-media-framer.h"
#include "oh-media-jitter.h"
#include "oh-media-latency.h"

#define MS (G_GINT64_CONSTANT (1000000))
#define FRAME (20 * MS)
#define TARGET (40 * MS)
#define LIMIT (80 * MS)

/* Frames arriving exactly on time play back to back, 40 ms after arrival. */
static void
test_jitter_steady (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1;
  gint64 trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);

  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY_DISCONT);
  g_assert_cmpint (pts, ==, TARGET);
  for (int i = 1; i < 500; i++)
    {
      g_assert_cmpint (oh_media_jitter_schedule (&jitter, i * FRAME, FRAME, 0, 0, &pts, &trim), ==,
                       OH_MEDIA_JITTER_PLAY);
      g_assert_cmpint (pts, ==, TARGET + i * FRAME);
      g_assert_cmpint (oh_media_jitter_buffered (&jitter, i * FRAME, 0), ==, TARGET + FRAME);
    }
}

/* A frame later than its slot restarts the timeline after a gap. */
static void
test_jitter_underrun (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1;
  gint64 trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim);
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 20 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY);
  g_assert_cmpint (pts, ==, 60 * MS);

  /* 30 ms late is still within the 40 ms of slack. */
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 70 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY);
  g_assert_cmpint (pts, ==, 80 * MS);

  /* The remote side held for 1.5 s. */
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 1600 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY_DISCONT);
  g_assert_cmpint (pts, ==, 1600 * MS + TARGET);
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 1620 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY);
  g_assert_cmpint (pts, ==, 1660 * MS);
}

/* A burst after a stall: the oldest frames go, the newest play on time. */
static void
test_jitter_burst_drops_oldest (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1, last_pts = -1;
  gint64 trim = 0;
  int dropped = 0, played = 0, first_played = -1;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);

  /* 25 frames arrive at once at t = 0; each leaves in turn, oldest first. */
  for (int i = 0; i < 25; i++)
    {
      gint64 queued = (24 - i) * FRAME;
      OhMediaJitterVerdict verdict = oh_media_jitter_schedule (&jitter, 0, FRAME, queued, 0, &pts, &trim);

      if (verdict == OH_MEDIA_JITTER_DROP)
        {
          g_assert_cmpint (played, ==, 0); /* never a newer frame before an older one */
          dropped++;
          continue;
        }
      if (first_played < 0)
        first_played = i;
      played++;
      last_pts = pts;
    }

  g_assert_cmpint (dropped, >, 0);
  g_assert_cmpint (first_played, ==, dropped);
  /* What is left plays within the limit of now. */
  g_assert_cmpint (last_pts, <=, LIMIT);
  g_assert_cmpint (oh_media_jitter_buffered (&jitter, 0, 0), <=, LIMIT + FRAME);
}

/* Frames ten times faster than real time: latency stays bounded, most drop.
 * Models the pipeline: a queue that drops its oldest beyond the limit, and a
 * sink that blocks until each frame is due. */
static void
test_jitter_flood (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1, busy_until = 0;
  gint64 trim = 0;
  g_autofree gint64 *arrivals = g_new (gint64, 5000);
  guint head = 0, tail = 0;
  int dropped = 0, played = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);

  /* Every 2 ms a frame arrives; the sink takes one frame per 20 ms. */
  for (int tick = 0; tick < 5000; tick++)
    {
      gint64 now = tick * 2 * MS;

      arrivals[tail++] = now;
      if ((tail - head) * FRAME > LIMIT)
        {
          head++;
          dropped++;
        }
      while (tail > head && now >= busy_until)
        {
          gint64 arrival = arrivals[head++];
          gint64 queued = (tail - head) * FRAME;

          if (oh_media_jitter_schedule (&jitter, now, FRAME, queued, now - arrival, &pts, &trim) ==
              OH_MEDIA_JITTER_DROP)
            {
              dropped++;
              continue;
            }
          played++;
          /* What plays, plays soon after it arrived. */
          g_assert_cmpint (pts - arrival, <=, LIMIT + FRAME);
          busy_until = pts;
        }
      g_assert_cmpint (oh_media_jitter_buffered (&jitter, now, (tail - head) * FRAME), <=,
                       2 * LIMIT + FRAME);
    }

  /* 10 s of arrivals, 1 s of it played in real time. */
  g_assert_cmpint (played, >=, 490);
  g_assert_cmpint (played, <=, 510);
  g_assert_cmpint (dropped + played, ==, 5000 - (tail - head));
}

/* The sink's latency grew by 30 ms after the timeline started (it does, once
 * the first frame prerolled the sink): frames would wait 70 ms; the buffer
 * sheds the excess at once, a whole frame and the head of the next, then
 * stays put. */
static void
test_jitter_shrinks (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1, delay = 0;
  gint64 trim = 0;
  int dropped = 0, dropped_late = 0, trimmed = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim);
  oh_media_jitter_set_latency (&jitter, 30 * MS);

  /* Frames arrive on time and leave on arrival. */
  for (int i = 1; i < 500; i++)
    {
      gint64 now = i * FRAME;

      if (oh_media_jitter_schedule (&jitter, now, FRAME, 0, 0, &pts, &trim) == OH_MEDIA_JITTER_DROP)
        {
          dropped++;
          if (i > 1)
            dropped_late++;
          continue;
        }
      if (trim > 0)
        {
          g_assert_cmpint (trim, ==, 10 * MS);
          trimmed++;
        }
      delay = pts + 30 * MS - now;
    }

  g_assert_cmpint (dropped, ==, 1); /* 30 ms over: one whole frame... */
  g_assert_cmpint (trimmed, ==, 1); /* ...and the head of the next */
  g_assert_cmpint (dropped_late, ==, 0);
  g_assert_cmpint (delay, ==, TARGET);
}

/* A timeline that started with a frame later than the others: every frame
 * waits a few ms longer than the target. Beyond the threshold, that excess
 * is cut once, after a window, and the delay is the target again; below
 * it, the timeline stays. */
static void
test_jitter_trims_excess (void)
{
  for (gint64 late = 2 * MS; late <= 12 * MS; late += 5 * MS)
    {
      OhMediaJitter jitter;
      gint64 pts = -1, trim = 0, delay = 0, total_trim = 0;
      int dropped = 0;

      oh_media_jitter_init (&jitter, TARGET, LIMIT);
      oh_media_jitter_schedule (&jitter, late, FRAME, 0, 0, &pts, &trim);
      g_assert_cmpint (pts, ==, late + TARGET);

      for (int i = 1; i < 200; i++)
        {
          gint64 now = i * FRAME;

          if (oh_media_jitter_schedule (&jitter, now, FRAME, 0, 0, &pts, &trim) ==
              OH_MEDIA_JITTER_DROP)
            {
              dropped++;
              continue;
            }
          g_assert_cmpint (trim, >=, 0);
          g_assert_cmpint (trim, <, FRAME);
          total_trim += trim;
          delay = pts - now;
        }

      g_assert_cmpint (dropped, ==, 0);
      if (late > 5 * MS)
        {
          g_assert_cmpint (total_trim, ==, late);
          g_assert_cmpint (delay, ==, TARGET);
        }
      else
        {
          g_assert_cmpint (total_trim, ==, 0);
          g_assert_cmpint (delay, ==, TARGET + late);
        }
    }
}

/* A sink's latency a few ms longer than expected is not worth a cut: the
 * frames are heard that much later, none is dropped or trimmed. */
static void
test_jitter_small_latency (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1, trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim);
  oh_media_jitter_set_latency (&jitter, 3 * MS);

  for (int i = 1; i < 200; i++)
    {
      g_assert_cmpint (oh_media_jitter_schedule (&jitter, i * FRAME, FRAME, 0, 0, &pts, &trim), ==,
                       OH_MEDIA_JITTER_PLAY);
      g_assert_cmpint (trim, ==, 0);
      g_assert_cmpint (pts + 3 * MS - i * FRAME, ==, TARGET + 3 * MS);
    }
}

/* A sink slower than the target: frames are heard after its latency, and
 * neither dropped for it nor shed. */
static void
test_jitter_slow_sink (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1;
  gint64 trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_set_latency (&jitter, 100 * MS);

  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY_DISCONT);
  g_assert_cmpint (pts, ==, 0);
  for (int i = 1; i < 500; i++)
    {
      g_assert_cmpint (oh_media_jitter_schedule (&jitter, i * FRAME, FRAME, 0, 0, &pts, &trim), ==,
                       OH_MEDIA_JITTER_PLAY);
      g_assert_cmpint (pts + 100 * MS - i * FRAME, ==, 100 * MS);
    }
  /* Later: heard 100 ms after arrival. */
  oh_media_jitter_reset (&jitter);
  oh_media_jitter_schedule (&jitter, 10 * GST_SECOND, FRAME, 0, 0, &pts, &trim);
  g_assert_cmpint (pts, ==, 10 * GST_SECOND);
  g_assert_cmpint (oh_media_jitter_buffered (&jitter, 10 * GST_SECOND, 0), ==, 120 * MS);
}

/* Frames that waited in the queue count: no shrinking when the delay is
 * the target, however it splits between queue and sink. */
static void
test_jitter_steady_queued (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1;
  gint64 trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim);

  /* A sink that blocks until each frame is due: each frame leaves when the
   * one before starts playing, having waited 20 ms. */
  for (int i = 1; i < 500; i++)
    g_assert_cmpint (oh_media_jitter_schedule (&jitter, pts, FRAME, FRAME, FRAME, &pts, &trim), ==,
                     OH_MEDIA_JITTER_PLAY);
}

static void
test_jitter_reset (void)
{
  OhMediaJitter jitter;
  gint64 pts = -1;
  gint64 trim = 0;

  oh_media_jitter_init (&jitter, TARGET, LIMIT);
  oh_media_jitter_schedule (&jitter, 10 * GST_SECOND, FRAME, 0, 0, &pts, &trim);
  oh_media_jitter_reset (&jitter);
  g_assert_cmpint (oh_media_jitter_buffered (&jitter, 0, 3 * FRAME), ==, 3 * FRAME);

  /* A restarted pipeline's running time begins at 0 again. */
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 0, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY_DISCONT);
  g_assert_cmpint (pts, ==, TARGET);

  /* Before the pipeline latency has passed, nothing is heard yet: no
   * negative timestamps, and no drops for it. */
  oh_media_jitter_reset (&jitter);
  oh_media_jitter_set_latency (&jitter, 20 * MS);
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 5 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY_DISCONT);
  g_assert_cmpint (pts, ==, 25 * MS); /* heard at 45 ms: 40 after arrival */
  g_assert_cmpint (oh_media_jitter_schedule (&jitter, 25 * MS, FRAME, 0, 0, &pts, &trim), ==,
                   OH_MEDIA_JITTER_PLAY);
  g_assert_cmpint (pts, ==, 45 * MS);
}

static void
test_format_init (void)
{
  g_autoptr(GError) error = NULL;
  OhMediaFormat format;

  g_assert_true (oh_media_format_init (&format, "slin16", 640, 20, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format.encoding, ==, OH_MEDIA_ENCODING_SLIN);
  g_assert_cmpuint (format.rate, ==, 16000);
  g_assert_cmpuint (format.channels, ==, 1);
  g_assert_cmpuint (format.frame_bytes, ==, 640);
  g_assert_cmpuint (oh_media_format_bytes_to_time (&format, 640), ==, 20 * GST_MSECOND);
  g_assert_cmpuint (oh_media_format_time_to_bytes (&format, 20 * GST_MSECOND), ==, 640);
  g_assert_cmpuint (oh_media_format_get_silence_byte (&format), ==, 0);

  g_assert_true (oh_media_format_init (&format, "ulaw", 0, 20, &error));
  g_assert_cmpint (format.encoding, ==, OH_MEDIA_ENCODING_ULAW);
  g_assert_cmpuint (format.rate, ==, 8000);
  g_assert_cmpuint (format.frame_bytes, ==, 160);
  g_assert_cmpuint (oh_media_format_get_silence_byte (&format), ==, 0xff);
  g_assert_cmpuint (oh_media_format_bytes_to_time (&format, 160), ==, 20 * GST_MSECOND);

  g_assert_true (oh_media_format_init (&format, "slin", 320, 0, &error));
  g_assert_cmpuint (format.rate, ==, 8000);
  g_assert_cmpuint (format.ptime_ms, ==, 20);

  g_assert_true (oh_media_format_init (&format, "SLIN48", 0, 0, &error));
  g_assert_cmpuint (format.rate, ==, 48000);
  g_assert_cmpuint (format.frame_bytes, ==, 1920);

  {
    g_autoptr(GstCaps) caps = oh_media_format_to_caps (&format);
    g_autoptr(GstCaps) expected =
      gst_caps_from_string ("audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1");

    g_assert_true (gst_caps_is_equal (caps, expected));
  }
}

static void
test_format_bad (void)
{
  OhMediaFormat format;
  const struct {
    const char *name;
    guint frame_bytes;
    int code;
  } cases[] = {
    { "opus", 0, OH_ERROR_NOT_SUPPORTED },
    { "", 0, OH_ERROR_NOT_SUPPORTED },
    { NULL, 0, OH_ERROR_NOT_SUPPORTED },
    { "slin16", 641, OH_ERROR_INVALID_ARGUMENT },
    { "slin16", 64000, OH_ERROR_INVALID_ARGUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (oh_media_format_init (&format, cases[i].name, cases[i].frame_bytes, 20,
                                            &error));
      g_assert_error (error, OH_ERROR, cases[i].code);
    }

  {
    g_autoptr(GError) error = NULL;

    format = (OhMediaFormat) { OH_MEDIA_ENCODING_SLIN, 16000, 2, 1280, 20 };
    g_assert_false (oh_media_format_validate (&format, &error));
    g_assert_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED);
  }
  {
    g_autoptr(GError) error = NULL;

    format = (OhMediaFormat) { OH_MEDIA_ENCODING_ULAW, 16000, 1, 320, 20 };
    g_assert_false (oh_media_format_validate (&format, &error));
    g_assert_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED);
  }
  {
    g_autoptr(GError) error = NULL;

    format = (OhMediaFormat) { OH_MEDIA_ENCODING_SLIN, 16000, 1, 0, 20 };
    g_assert_false (oh_media_format_validate (&format, &error));
    g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_latency_figures (void)
{
  OhMediaLatency latency = { 0 };

  g_assert_cmpfloat (oh_media_latency_percentile (&latency, 0.5), ==, 0);

  /* 100 frames of 20 ms, pushed at 1 s + 20 ms * i, heard 40..49.9 ms later. */
  for (int i = 0; i < 100; i++)
    {
      gint64 pts = i * 20 * GST_MSECOND;
      gint64 push_us = G_USEC_PER_SEC + i * 20000;

      oh_media_latency_note_frame (&latency, pts, 20 * GST_MSECOND, push_us);
      /* A resampler may move the start a little: still the same frame. */
      g_assert_true (oh_media_latency_note_heard (&latency, pts + 3 * GST_MSECOND,
                                                  push_us + 40000 + i * 100));
    }
  /* Too old to remember, or never pushed. */
  g_assert_false (oh_media_latency_note_heard (&latency, 0, G_USEC_PER_SEC));
  g_assert_false (oh_media_latency_note_heard (&latency, 10 * GST_SECOND, G_USEC_PER_SEC));

  g_assert_cmpuint (latency.samples, ==, 100);
  g_assert_cmpfloat_with_epsilon (oh_media_latency_percentile (&latency, 0.5), 45, 0.5);
  g_assert_cmpfloat_with_epsilon (oh_media_latency_percentile (&latency, 0.99), 49.75, 0.5);
  g_assert_cmpint (latency.max_us, ==, 49900);

  /* Beyond a second: counted in the last bucket, the maximum exact. */
  oh_media_latency_note_frame (&latency, 0, 20 * GST_MSECOND, 0);
  g_assert_true (oh_media_latency_note_heard (&latency, 0, 5 * G_USEC_PER_SEC));
  g_assert_cmpint (latency.max_us, ==, 5 * G_USEC_PER_SEC);
  g_assert_cmpfloat (oh_media_latency_percentile (&latency, 1.0), >=, 1000);

  oh_media_latency_forget_frames (&latency);
  g_assert_false (oh_media_latency_note_heard (&latency, 20 * GST_MSECOND, G_USEC_PER_SEC));
  g_assert_cmpuint (latency.samples, ==, 101);
}

typedef struct {
  GByteArray *received;
  guint batches;
} FramerResult;

static void
on_frames (guint8   *frames,
           gsize     n_frames,
           gpointer  user_data)
{
  FramerResult *result = user_data;

  g_assert_cmpuint (n_frames, >=, 1);
  result->batches++;
  g_byte_array_append (result->received, frames, n_frames * 640);
}

static GstBuffer *
numbered_buffer (gsize  size,
                 guint *counter)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    map.data[i] = (guint8) (*counter)++;
  gst_buffer_unmap (buffer, &map);
  return buffer;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Any buffer sizes in, exact frames out, in order, in few dispatches. */
static void
test_framer_exact_frames (void)
{
  FramerResult result = { g_byte_array_new (), 0 };
  g_autoptr(OhMediaFramer) framer =
    oh_media_framer_new (NULL, 640, 64000, on_frames, &result);
  const gsize sizes[] = { 100, 1000, 300, 2, 638, 1280, 320, 320, 1, 999 };
  guint counter = 0;
  gsize total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GstBuffer) buffer = numbered_buffer (sizes[i], &counter);

      oh_media_framer_push (framer, buffer);
      total += sizes[i];
    }
  g_assert_cmpuint (oh_media_framer_get_pending (framer), ==, total);
  drain ();

  g_assert_cmpuint (result.received->len, ==, total / 640 * 640);
  for (guint i = 0; i < result.received->len; i++)
    g_assert_cmpuint (result.received->data[i], ==, (guint8) i);
  /* All of it was waiting: one dispatch. */
  g_assert_cmpuint (result.batches, ==, 1);
  g_assert_cmpuint (oh_media_framer_get_pending (framer), ==, total % 640);
  g_assert_cmpuint (oh_media_framer_get_dropped (framer), ==, 0);

  /* Less than a frame does not wake anyone. */
  oh_media_framer_clear (framer);
  {
    g_autoptr(GstBuffer) buffer = numbered_buffer (639, &counter);

    oh_media_framer_push (framer, buffer);
  }
  drain ();
  g_assert_cmpuint (result.batches, ==, 1);

  g_byte_array_unref (result.received);
}

/* A main context that does not collect: the oldest frames go, memory stays. */
static void
test_framer_bounded (void)
{
  FramerResult result = { g_byte_array_new (), 0 };
  g_autoptr(OhMediaFramer) framer =
    oh_media_framer_new (NULL, 640, 5 * 640, on_frames, &result);
  guint counter = 0;

  for (int i = 0; i < 100; i++)
    {
      g_autoptr(GstBuffer) buffer = numbered_buffer (640, &counter);

      oh_media_framer_push (framer, buffer);
      g_assert_cmpuint (oh_media_framer_get_pending (framer), <=, 5 * 640);
    }
  g_assert_cmpuint (oh_media_framer_get_dropped (framer), ==, 95);
  drain ();
  g_assert_cmpuint (result.received->len, ==, 5 * 640);
  /* The newest five. */
  g_assert_cmpuint (result.received->data[0], ==, (guint8) (95 * 640));

  g_byte_array_unref (result.received);
}

typedef struct {
  OhMediaFramer *framer;
  guint buffers;
} PushThread;

static gpointer
push_from_thread (gpointer data)
{
  PushThread *push = data;
  guint counter = 0;

  for (guint i = 0; i < push->buffers; i++)
    {
      g_autoptr(GstBuffer) buffer = numbered_buffer (160, &counter);

      oh_media_framer_push (push->framer, buffer);
      if (i % 16 == 0)
        g_usleep (100);
    }
  return NULL;
}

static gboolean
on_poll (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A streaming thread pushes while the main context collects. */
static void
test_framer_threads (void)
{
  FramerResult result = { g_byte_array_new (), 0 };
  g_autoptr(OhMediaFramer) framer =
    oh_media_framer_new (NULL, 640, 1 << 20, on_frames, &result);
  PushThread push = { framer, 4000 };
  g_autoptr(GThread) thread = g_thread_new ("push", push_from_thread, &push);
  guint poll_id = g_timeout_add (5, on_poll, NULL);

  while (result.received->len < 4000 * 160)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (g_steal_pointer (&thread));
  g_source_remove (poll_id);

  g_assert_cmpuint (result.received->len, ==, 4000 * 160);
  for (guint i = 0; i < result.received->len; i++)
    g_assert_cmpuint (result.received->data[i], ==, (guint8) i);
  g_assert_cmpuint (result.batches, <, 1000);
  g_byte_array_unref (result.received);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/media/jitter/steady", test_jitter_steady);
  g_test_add_func ("/media/jitter/underrun", test_jitter_underrun);
  g_test_add_func ("/media/jitter/burst-drops-oldest", test_jitter_burst_drops_oldest);
  g_test_add_func ("/media/jitter/flood", test_jitter_flood);
  g_test_add_func ("/media/jitter/shrinks", test_jitter_shrinks);
  g_test_add_func ("/media/jitter/trims-excess", test_jitter_trims_excess);
  g_test_add_func ("/media/jitter/small-latency", test_jitter_small_latency);
  g_test_add_func ("/media/jitter/steady-queued", test_jitter_steady_queued);
  g_test_add_func ("/media/jitter/slow-sink", test_jitter_slow_sink);
  g_test_add_func ("/media/jitter/reset", test_jitter_reset);
  g_test_add_func ("/media/latency/figures", test_latency_figures);
  g_test_add_func ("/media/framer/exact-frames", test_framer_exact_frames);
  g_test_add_func ("/media/framer/bounded", test_framer_bounded);
  g_test_add_func ("/media/framer/threads", test_framer_threads);
  g_test_add_func ("/media/format/init", test_format_init);
  g_test_add_func ("/media/format/bad", test_format_bad);

  return g_test_run ();
}
