Attribute VB_Name = "RegCert"
Option Explicit

' regcert-xl: the buttons on the Start sheet. Each calls Python through xlwings' RunPython;
' the work happens in regcert_xl.xl, which shows progress in the status bar and any problem
' as a message. Edit freely: the Python behind them is the regcert_xl package.

Sub Refresh()
    RunPython "import regcert_xl.xl; regcert_xl.xl.refresh()"
End Sub

Sub Validate()
    RunPython "import regcert_xl.xl; regcert_xl.xl.validate()"
End Sub

Sub ImportExport()
    RunPython "import regcert_xl.xl; regcert_xl.xl.import_export()"
End Sub

Sub ShowLearner()
    RunPython "import regcert_xl.xl; regcert_xl.xl.show_learner()"
End Sub
