/*
 * CI-only native link route (native-link/README.md): the JDK's shared libraries need a libjvm.so. These are the
 * JVM_* and jio_* functions they call in a native image with real bodies; build-clibraries.sh adds every other
 * symbol they reference as a function that stops the process naming itself (none was reached).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

jlong JVM_CurrentTimeMillis(JNIEnv *env, jclass ignored) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (jlong) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

jlong JVM_NanoTime(JNIEnv *env, jclass ignored) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (jlong) t.tv_sec * 1000000000L + t.tv_nsec;
}

void JVM_Halt(jint code) {
    _exit(code);
}

int jio_vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
    return vsnprintf(buffer, count, format, args);
}

int jio_snprintf(char *buffer, size_t count, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int jio_vfprintf(FILE *stream, const char *format, va_list args) {
    return vfprintf(stream, format, args);
}

int jio_fprintf(FILE *stream, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfprintf(stream, format, args);
    va_end(args);
    return n;
}

void *JVM_RawMonitorCreate(void) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_t *mutex = malloc(sizeof(pthread_mutex_t));
    pthread_mutex_init(mutex, &attributes);
    return mutex;
}

void JVM_RawMonitorDestroy(void *monitor) {
    pthread_mutex_destroy((pthread_mutex_t *) monitor);
    free(monitor);
}

jint JVM_RawMonitorEnter(void *monitor) {
    return pthread_mutex_lock((pthread_mutex_t *) monitor) == 0 ? 0 : -1;
}

void JVM_RawMonitorExit(void *monitor) {
    pthread_mutex_unlock((pthread_mutex_t *) monitor);
}

void *JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle == NULL ? RTLD_DEFAULT : handle, name);
}

char *JVM_NativePath(char *path) {
    return path;
}

void *JVM_GetManagement(jint version) {
    return NULL;
}

jint JVM_GetInterfaceVersion(void) {
    return 6;
}

jboolean JVM_IsSupportedJNIVersion(jint version) {
    return JNI_TRUE;
}

jint JVM_GetLastErrorString(char *buffer, int length) {
    if (errno == 0) {
        return 0;
    }
    const char *text = strerror(errno);
    snprintf(buffer, length, "%s", text);
    return (jint) strlen(buffer);
}

jint JVM_ActiveProcessorCount(void) {
    return (jint) sysconf(_SC_NPROCESSORS_ONLN);
}

jboolean JVM_IsUseContainerSupport(void) {
    return JNI_FALSE;
}

jboolean JVM_IsContainerized(void) {
    return JNI_FALSE;
}
