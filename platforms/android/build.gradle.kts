// The app's Android plugin: camera and gallery for document pictures, and the
// system back button. Bound to Rust by `#[manganis::ffi("platforms/android")]`
// in src/native.rs, which reads the namespace below; `dx bundle` builds it.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "id.go.imigrasi.mpaspor.plugin"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    kotlinOptions {
        jvmTarget = "17"
    }
}

dependencies {
    // The Dioxus host activity (an AppCompatActivity) already brings these.
    compileOnly("androidx.activity:activity-ktx:1.9.3")
    compileOnly("androidx.core:core-ktx:1.13.1")
}
