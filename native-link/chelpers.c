/*
 * CI-only native link route (native-link/README.md): what a native image calls in GraalVM's own C helpers
 * (liblibchelper.a, libsvm_container.a, GraalVM's libjvm.a), which only GraalVM distributions ship. Written for
 * this project's executable on Linux x86-64; not GraalVM's code and not supported by GraalVM. Container limits
 * are not detected (the host's memory and processors are reported): size memory and CPU explicitly.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

/* CPU features: reported as none, so code with a runtime check takes its baseline path. */
void determineCPUFeatures(CPUFeatures *features) {
    memset(features, 0, sizeof(*features));
}

int checkCPUFeatures(char *buildtimeFeatures) {
    return 0;
}

int checkCPUFeaturesOrExit(char *buildtimeFeatures, char *errorMessage) {
    return 0;
}

/* sun.misc.Signal: the handler counts a signal and wakes the dispatch thread, as GraalVM's cSunMiscSignal does. */
static volatile sig_atomic_t pending[NSIG];
static sem_t dispatch;
static int opened;

int cSunMiscSignal_open(void) {
    if (opened) {
        return -1;
    }
    for (int i = 0; i < NSIG; i++) {
        pending[i] = 0;
    }
    if (sem_init(&dispatch, 0, 0) != 0) {
        return -1;
    }
    opened = 1;
    return 0;
}

int cSunMiscSignal_close(void) {
    if (!opened) {
        return -1;
    }
    opened = 0;
    return sem_destroy(&dispatch);
}

int cSunMiscSignal_awaitSemaphore(void) {
    int rc;
    while ((rc = sem_wait(&dispatch)) != 0 && errno == EINTR) {
    }
    return rc;
}

int cSunMiscSignal_signalSemaphore(void) {
    return sem_post(&dispatch);
}

int cSunMiscSignal_signalRangeCheck(int signal) {
    return signal > 0 && signal < NSIG;
}

int cSunMiscSignal_checkPendingSignal(void) {
    for (int i = 1; i < NSIG; i++) {
        if (pending[i] > 0) {
            __atomic_fetch_sub(&pending[i], 1, __ATOMIC_SEQ_CST);
            return i;
        }
    }
    return -1;
}

static void countSignal(int signal) {
    if (signal > 0 && signal < NSIG) {
        __atomic_fetch_add(&pending[signal], 1, __ATOMIC_SEQ_CST);
        sem_post(&dispatch);
    }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) {
    return (void *) countSignal;
}

/* The default time zone: TZ when set, else the zone /etc/localtime links to; NULL lets Java take GMT. */
char *SVM_FindJavaTZmd(const char *javaHomeDir, int length) {
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        return strdup(*tz == ':' ? tz + 1 : tz);
    }
    char link[4096];
    ssize_t n = readlink("/etc/localtime", link, sizeof(link) - 1);
    if (n > 0) {
        link[n] = '\0';
        char *zone = strstr(link, "zoneinfo/");
        if (zone != NULL) {
            return strdup(zone + strlen("zoneinfo/"));
        }
    }
    return NULL;
}

long getThreadId(void) {
    return syscall(SYS_gettid);
}

void *mremapP(void *oldAddress, size_t oldSize, size_t newSize, int flags, void *newAddress) {
    return mremap(oldAddress, oldSize, newSize, flags, newAddress);
}

int openSII(const char *path, int flags, int mode) {
    return open(path, flags, mode);
}

int fprintfSD(FILE *stream, const char *format, const char *s, int d) {
    return fprintf(stream, format, s, d);
}

/* The locale: en-US, the one locale the image includes (-H:IncludeLocales=en). */
static svm_locale_props_t locale;

int svm_initialize_locale(void) {
    locale.display_language = "en";
    locale.display_country = "US";
    locale.format_language = "en";
    locale.format_country = "US";
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) {
    return &locale;
}

/* GraalVM's libjvm.a: the function table needs no setup here. */
void initialize(void) {
}

int JVM_ActiveProcessorCount(void) {
    return (int) sysconf(_SC_NPROCESSORS_ONLN);
}

/* libsvm_container.a: "not containerized" (0 is SUCCESS_IS_NOT_CONTAINERIZED in ContainerLibrary). */
int svm_container_initialize(int version) {
    return 0;
}

int svm_container_active_processor_count(void) {
    return (int) sysconf(_SC_NPROCESSORS_ONLN);
}

unsigned long svm_container_physical_memory(void) {
    return (unsigned long) sysconf(_SC_PHYS_PAGES) * (unsigned long) sysconf(_SC_PAGESIZE);
}

/* A statically linked JNI library's JNI_OnLoad_<name>: here the JDK's shared library, whose JNI_OnLoad it calls. */
static jint onLoad(const char *library, JavaVM *vm, void *reserved) {
    void *handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
    if (handle == NULL) {
        handle = dlopen(library, RTLD_LAZY);
    }
    jint (*load)(JavaVM *, void *) = handle == NULL ? NULL : (jint (*)(JavaVM *, void *)) dlsym(handle, "JNI_OnLoad");
    if (load == NULL) {
        return JNI_VERSION_1_8;
    }
    jint version = load(vm, reserved);
    // A built-in (statically linked) library must ask for JNI 1.8 at least; the JDK's shared ones ask for 1.2.
    return version < 0 || version >= JNI_VERSION_1_8 ? version : JNI_VERSION_1_8;
}

#define ON_LOAD(name) jint JNI_OnLoad_##name(JavaVM *vm, void *reserved) { return onLoad("lib" #name ".so", vm, reserved); }
ON_LOAD(java)
ON_LOAD(nio)
ON_LOAD(net)
ON_LOAD(zip)
ON_LOAD(extnet)
ON_LOAD(management_ext)
ON_LOAD(jaas)
